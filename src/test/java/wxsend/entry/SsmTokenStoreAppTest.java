package wxsend.entry;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;
import wxsend.support.Messages;
import wxsend.support.SsmParameters;
import wxsend.support.StandIns;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/** TOKEN_STORE=ssm end to end: tokens land in, and are read from, SecureString parameters. */
@QuarkusTest
@TestProfile(SsmTokenStoreAppTest.TokensInSsm.class)
class SsmTokenStoreAppTest {

    public static class TokensInSsm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wxsend.token.store", "ssm", "wxsend.token.parameter-prefix", "/wxsend/tokens");
        }
    }

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private String appid;

    @BeforeEach
    void reset() {
        StandIns.wechat().resetAll();
        StandIns.ssm().resetAll();
        StandIns.keepParametersUnder("/wxsend/tokens");
        appid = TestApps.next();
    }

    @Test
    void aFetchedTokenIsStoredAsASecureString() {
        wechat.tokenIs(appid, "ACCESS-in-ssm");
        wechat.sendOk("ACCESS-in-ssm");

        Lambda.invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"));

        SsmParameters.Parameter stored = SsmParameters.INSTANCE.get("/wxsend/tokens/" + appid + "/token");
        assertEquals("SecureString", stored.type());
        assertTrue(stored.value().contains("ACCESS-in-ssm"));
    }

    @Test
    void aColdStartUsesTheStoredParameterWithoutFetching() {
        SsmParameters.INSTANCE.put("/wxsend/tokens/" + appid + "/token", "{\"accessToken\":\"ACCESS-from-ssm\",\"expiresAt\":"
                + Instant.now().plusSeconds(3600).toEpochMilli() + "}", "SecureString");
        wechat.sendOk("ACCESS-from-ssm");

        Lambda.invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"));

        assertEquals(0, wechat.tokenFetches(appid).size());
    }
}
