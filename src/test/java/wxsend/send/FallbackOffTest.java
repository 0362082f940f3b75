package wxsend.send;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import wxsend.support.Lambda;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * With the fallback off for an app (FALLBACK_OFF_FOR_APPS, or FALLBACK_TO_TEMPLATE_SEND=false for
 * all) a withdrawn uniform_send is simply REJECTED. The app is configured so in the shared test
 * configuration, so this suite needs no restart of its own.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class FallbackOffTest {

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());

    @Test
    void a45109IsRejectedAndNothingGoesToTemplateSend() {
        StandIns.wechat().resetAll();
        String mini = TestApps.FALLBACK_OFF_APP;
        String account = TestApps.next();
        wechat.tokenIs(mini, "ACCESS-off-" + mini);
        wechat.tokenIs(account, "ACCESS-off-" + account);
        wechat.sendWith("ACCESS-off-" + mini, okJson(WeChatStubs.errcode(45109, "uniform_send is offline")));

        Lambda.invoke(Messages.uniformFor(mini, account, "off-1", Messages.OA_OPENID)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(45109), "via", equalTo("uniform_send"));
        assertEquals(0, wechat.postsTo(WeChatStubs.TEMPLATE_PATH).size());
    }
}
