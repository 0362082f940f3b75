package wxsend.entry;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/** TOKEN_ENDPOINT=legacy: GET cgi-bin/token, never stable_token, and no forced mode to ask for. */
@QuarkusTest
@TestProfile(LegacyTokenEndpointTest.Legacy.class)
class LegacyTokenEndpointTest {

    public static class Legacy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wxsend.token.endpoint", "legacy");
        }
    }

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private String appid;

    @BeforeEach
    void reset() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
    }

    @Test
    void sendsWithALegacyTokenAndReplacesARefusedOneWithOneNewFetch() {
        wechat.legacyTokensInTurn(appid, "ACCESS-legacy-1", "ACCESS-legacy-2");
        wechat.sendInTurn("ACCESS-legacy-1", okJson(WeChatStubs.errcode(0, "ok")), okJson(WeChatStubs.errcode(40001, "invalid")));
        wechat.sendOk("ACCESS-legacy-2");

        Lambda.invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"));
        Lambda.invoke(Messages.forApp(appid, "second")).statusCode(200).body("status", equalTo("SENT"), "attempts", equalTo(2));

        assertEquals(2, wechat.legacyTokenFetches(appid).size());
        assertEquals(0, wechat.tokenFetches(appid).size(), "stable_token is never called");
    }
}
