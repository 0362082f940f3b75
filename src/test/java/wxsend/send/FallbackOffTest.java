package wxsend.send;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/** With FALLBACK_TO_TEMPLATE_SEND=false a withdrawn uniform_send is simply REJECTED. */
@QuarkusTest
@TestProfile(FallbackOffTest.NoFallback.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class FallbackOffTest {

    public static class NoFallback implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wxsend.fallback.enabled", "false");
        }
    }

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());

    @Test
    void a45109IsRejectedAndNothingGoesToTemplateSend() {
        StandIns.wechat().resetAll();
        String mini = TestApps.next();
        String account = TestApps.next();
        wechat.tokenIs(mini, "ACCESS-off-" + mini);
        wechat.tokenIs(account, "ACCESS-off-" + account);
        wechat.sendWith("ACCESS-off-" + mini, okJson(WeChatStubs.errcode(45109, "uniform_send is offline")));

        Lambda.invoke(Messages.uniformFor(mini, account, "off-1", Messages.OA_OPENID)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(45109), "via", equalTo("uniform_send"));
        assertEquals(0, wechat.postsTo(WeChatStubs.TEMPLATE_PATH).size());
    }
}
