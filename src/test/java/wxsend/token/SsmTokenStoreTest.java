package wxsend.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import wxsend.support.SsmParameters;
import wxsend.support.StandIns;
import wxsend.token.ssm.SsmTokenStore;

/** The SSM store through the real SDK client, against the stateful SSM protocol stand-in. */
@Tag("unit")
class SsmTokenStoreTest extends TokenStoreContract {

    private final SsmTokenStore store = new SsmTokenStore(StandIns.ssmClient(), "/wxsend/tokens", new ObjectMapper());

    @BeforeEach
    void route() {
        StandIns.keepParametersUnder("/wxsend/tokens");
    }

    @Override
    TokenStore store() {
        return store;
    }

    @Test
    void theTokenIsASecureStringParameterWithItsExpiry() {
        store.saveIfNewer(appid, new AccessToken("T-ssm", now.plusSeconds(7200)));

        SsmParameters.Parameter parameter = SsmParameters.INSTANCE.get("/wxsend/tokens/" + appid + "/token");
        assertEquals("SecureString", parameter.type());
        assertTrue(parameter.value().contains("\"expiresAt\":" + now.plusSeconds(7200).toEpochMilli()), parameter::value);
    }

    @Test
    void withoutAConditionalWriteEveryInstanceMayRefresh() {
        assertTrue(store.tryLease(appid, "a", now, now.plusSeconds(10)));
        assertTrue(store.tryLease(appid, "b", now, now.plusSeconds(10)), "documented: SSM cannot single-flight");
    }
}
