package wxsend.send;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

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
 * An official account's subscription notifications (kind bizsend): subscribe/bizsend with the
 * account's own token, the documented body, value limits by key type, 43101 refused with what to
 * do, dry runs and batches.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class BizsendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String account;
    private String token;

    @BeforeEach
    void freshAccount() {
        StandIns.wechat().resetAll();
        account = TestApps.next();
        token = "ACCESS-biz-" + account;
        wechat.tokenIs(account, token);
    }

    @AfterEach
    void clean() {
        LogHygiene.assertClean(logs.text());
    }

    @Test
    void aSubscriptionNotificationGoesToBizsendWithTheAccountsTokenAsDocumented() throws Exception {
        wechat.answerInTurn(WeChatStubs.BIZSEND_PATH, token, okJson(WeChatStubs.errcode(0, "ok")));

        Lambda.invoke(Messages.bizsend(account, "biz-1")).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("subscribe/bizsend"), "app", equalTo(account));

        List<LoggedRequest> posts = wechat.postsTo(WeChatStubs.BIZSEND_PATH, token);
        assertEquals(1, posts.size());
        JsonNode body = JSON.readTree(posts.get(0).getBodyAsString());
        assertEquals(List.of("touser", "template_id", "page", "miniprogram", "data"), names(body));
        assertEquals(Messages.OA_OPENID, body.get("touser").asText());
        assertEquals("BIZ_refund-02", body.get("template_id").asText());
        assertEquals("https://example.com/refunds/7", body.get("page").asText());
        assertEquals("{\"appid\":\"" + Messages.MINI_APPID + "\",\"pagepath\":\"pages/refund/7\"}", body.get("miniprogram").toString());
        assertEquals("{\"value\":\"Refund approved\"}", body.at("/data/thing1").toString());
        assertEquals(0, wechat.postsTo(WeChatStubs.TEMPLATE_PATH).size());
    }

    private static List<String> names(JsonNode body) {
        List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aUserWhoDidNotSubscribeIsRejectedOnceWithWhatToDo() {
        wechat.answerInTurn(WeChatStubs.BIZSEND_PATH, token, okJson(WeChatStubs.errcode(43101, "user refuse to accept the msg")));

        Lambda.invoke(Messages.bizsend(account, "biz-43101")).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(43101), "via", equalTo("subscribe/bizsend"),
                        "reason", containsString("wx-open-subscribe"));
        assertEquals(1, wechat.postsTo(WeChatStubs.BIZSEND_PATH, token).size(), "never retried");
    }

    @Test
    void valuesAreBoundedByTheirKeysTypeAndAPageMustBeAWebUrl() {
        invalid(Messages.bizsend(account, "biz-long").replace("Refund approved", "x".repeat(21)), "data.thing1.value");
        invalid(Messages.bizsend(account, "biz-colour").replace("{\"value\":\"Refund approved\"}",
                "{\"value\":\"Refund approved\",\"color\":\"#173177\"}"), "data.thing1.color");
        invalid(Messages.bizsend(account, "biz-page").replace("https://example.com/refunds/7", "pages/refund/7"), "page");
        invalid(Messages.bizsend(account, "biz-no-template").replace("\"template_id\":\"BIZ_refund-02\",", ""), "template_id");
        invalid(Messages.bizsend(account, "biz-state").replaceFirst("\\{", "{\"miniprogram_state\":\"trial\","), "miniprogram_state");
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aDryRunShowsTheBodyAndPostsNothing() throws Exception {
        JsonNode shown = JSON.readTree(Lambda.invoke(Messages.bizsend(account, "biz-dry").replaceFirst("\\{", "{\"dryRun\":true,"))
                .statusCode(200).extract().asByteArray());
        assertEquals("DRY_RUN", shown.get("status").asText(), shown::toString);
        assertEquals("cgi-bin/message/subscribe/bizsend", shown.get("endpoint").asText(), shown::toString);
        assertEquals("https://example.com/refunds/7", shown.at("/body/page").asText());
        assertEquals(0, wechat.postsTo(WeChatStubs.BIZSEND_PATH).size());
    }

    @Test
    void aBatchReachesEachSubscriberThroughBizsend() throws Exception {
        wechat.answerInTurn(WeChatStubs.BIZSEND_PATH, token, okJson(WeChatStubs.errcode(0, "ok")));
        String batch = Messages.bizsend(account, "biz-batch").replace("\"touser\":\"" + Messages.OA_OPENID + "\",", "")
                .replaceFirst("\\{", "{\"recipients\":[{\"touser\":\"" + Messages.openid(1) + "\"},{\"touser\":\""
                        + Messages.openid(2) + "\",\"data\":{\"thing1\":{\"value\":\"Refund sent\"}}}],");

        JsonNode result = JSON.readTree(Lambda.invoke(batch).statusCode(200).extract().asByteArray());

        assertEquals("COMPLETE", result.get("status").asText(), result::toString);
        List<String> things = wechat.postsTo(WeChatStubs.BIZSEND_PATH, token).stream().map(p -> {
            try {
                JsonNode body = JSON.readTree(p.getBodyAsString());
                return body.get("touser").asText() + ":" + body.at("/data/thing1/value").asText();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).sorted().toList();
        assertEquals(List.of(Messages.openid(1) + ":Refund approved", Messages.openid(2) + ":Refund sent"), things);
    }

    private static void invalid(String request, String field) {
        Lambda.invoke(request).statusCode(200).body("status", equalTo("INVALID"), "errors.field", hasItem(field));
    }
}
