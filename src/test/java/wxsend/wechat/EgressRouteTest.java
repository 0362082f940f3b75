package wxsend.wechat;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * An official account whose IP allowlist only its egress proxy passes (WECHAT_API_URLS names
 * StandIns.egress() for TestApps.EGRESS_APP): its token fetches and sends take the proxy, while a
 * mini program's calls go to WeChat directly; WeChat itself answers the account's token fetch
 * with 40164, as it does for a Lambda function's changing address.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class EgressRouteTest {

    private static final String ACCOUNT = TestApps.EGRESS_APP;
    private static final String ACCOUNT_TOKEN = "ACCESS-egress-" + ACCOUNT;
    private static final String NOT_ALLOWLISTED = WeChatStubs.errcode(40164, "invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist");
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final WeChatStubs proxied = new WeChatStubs(StandIns.egress());
    private final LogCapture logs = LogCapture.install();

    @BeforeEach
    void fresh() {
        StandIns.wechat().resetAll();
        StandIns.egress().resetAll();
        wechat.tokenAnswers(ACCOUNT, okJson(NOT_ALLOWLISTED));
        proxied.tokenIs(ACCOUNT, ACCOUNT_TOKEN);
        proxied.answerInTurn(WeChatStubs.TEMPLATE_PATH, ACCOUNT_TOKEN, okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":7}"));
    }

    @AfterEach
    void clean() {
        LogHygiene.assertClean(logs.text());
    }

    @Test
    void theAccountsTokenFetchAndTemplateSendTakeItsProxy() {
        Lambda.invoke(Messages.template(ACCOUNT, "egress-1")).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("template/send"), "msgid", equalTo(7));

        assertEquals(1, proxied.postsTo(WeChatStubs.TEMPLATE_PATH, ACCOUNT_TOKEN).size());
        assertTrue(proxied.tokenFetches(ACCOUNT).size() <= 1, "fetched once, then stored like any token");
        assertEquals(0, wechat.tokenFetches(ACCOUNT).size(), "never directly");
        assertEquals(0, wechat.postsTo(WeChatStubs.TEMPLATE_PATH).size());
    }

    @Test
    void aMiniProgramGoesDirectlyAndItsFallbackToTheAccountTakesTheProxy() {
        String mini = TestApps.next();
        String miniToken = "ACCESS-mini-" + mini;
        wechat.tokenIs(mini, miniToken);
        wechat.sendWith(miniToken, okJson(WeChatStubs.errcode(45109, "uniform_send is offline")));

        Lambda.invoke(Messages.uniformFor(mini, ACCOUNT, "egress-fallback", Messages.OA_OPENID)).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("template/send"), "app", equalTo(ACCOUNT));

        assertEquals(1, wechat.tokenFetches(mini).size(), "the mini program's own token, from WeChat directly");
        assertEquals(1, wechat.sendsWith(miniToken).size());
        assertEquals(0, StandIns.egress().findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(WeChatStubs.SEND_PATH))).size());
        assertEquals(1, proxied.postsTo(WeChatStubs.TEMPLATE_PATH, ACCOUNT_TOKEN).size());
        assertEquals(0, wechat.tokenFetches(ACCOUNT).size());
    }

    @Test
    void anAccountWithoutARouteMeets40164AndIsToldHowToFixIt() {
        String account = TestApps.next();
        wechat.tokenAnswers(account, okJson(NOT_ALLOWLISTED));

        Lambda.invoke(Messages.template(account, "egress-none")).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(40164),
                        "reason", containsString("Elastic IP"), "reason", containsString("WECHAT_API_URLS"));
        assertEquals(0, StandIns.egress().getAllServeEvents().size(), "only the named app takes the proxy");
    }
}
