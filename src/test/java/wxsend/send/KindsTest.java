package wxsend.send;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The successor APIs as kinds of request: an official account's template message through
 * template/send with its own token, and a mini program's subscribe message through
 * subscribe/send, each with its documented answers, dry runs, validation and batches.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class KindsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String app;
    private String token;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        app = TestApps.next();
        token = "ACCESS-kinds-" + app;
        wechat.tokenIs(app, token);
    }

    @AfterEach
    void clean() {
        LogHygiene.assertClean(logs.text());
    }

    @Test
    void aTemplateMessageGoesToTemplateSendWithTheAccountsTokenAndCarriesItsMsgid() throws Exception {
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token, okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":200228332}"));

        Lambda.invoke(Messages.template(app, "tpl-1")).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("template/send"), "msgid", equalTo(200228332),
                        "app", equalTo(app), "attempts", equalTo(1));

        List<LoggedRequest> posts = wechat.postsTo(WeChatStubs.TEMPLATE_PATH, token);
        assertEquals(1, posts.size());
        JsonNode body = JSON.readTree(posts.get(0).getBodyAsString());
        assertEquals(Messages.OA_OPENID, body.get("touser").asText());
        assertEquals("TPL_order_shipped", body.get("template_id").asText());
        assertEquals("pages/order/1", body.at("/miniprogram/pagepath").asText());
        assertEquals("#173177", body.at("/data/keyword1/color").asText());
        assertTrue(body.get("client_msg_id").asText().matches("[0-9a-f]{32}"), body::toString);
        assertEquals(0, wechat.postsTo(WeChatStubs.SEND_PATH).size());
    }

    @Test
    void aRetriedTemplateSendRepeatsItsClientMsgIdSoWeChatDropsARepeat() throws Exception {
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token, okJson(WeChatStubs.errcode(-1, "system busy")),
                okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":7}"));

        Lambda.invoke(Messages.template(app, "tpl-retry")).statusCode(200).body("status", equalTo("SENT"), "attempts", equalTo(2));

        List<LoggedRequest> posts = wechat.postsTo(WeChatStubs.TEMPLATE_PATH, token);
        assertEquals(2, posts.size());
        assertEquals(JSON.readTree(posts.get(0).getBodyAsString()).get("client_msg_id"),
                JSON.readTree(posts.get(1).getBodyAsString()).get("client_msg_id"));
    }

    @Test
    void aTemplateSendCutOffAfterTheRequestIsRetriedUnderTheSameClientMsgId() throws Exception {
        // Safe only here: WeChat drops a second template/send with the same client_msg_id.
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token,
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                        .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER),
                okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":11}"));

        Lambda.invoke(Messages.template(app, "tpl-reset")).statusCode(200)
                .body("status", equalTo("SENT"), "attempts", equalTo(2), "msgid", equalTo(11));

        List<LoggedRequest> posts = wechat.postsTo(WeChatStubs.TEMPLATE_PATH, token);
        assertEquals(2, posts.size());
        assertEquals(JSON.readTree(posts.get(0).getBodyAsString()).get("client_msg_id"),
                JSON.readTree(posts.get(1).getBodyAsString()).get("client_msg_id"));
    }

    @Test
    void aRepeatedTemplateRequestIsReplayedNotSentAgain() {
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token, okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":9}"));

        Lambda.invoke(Messages.template(app, "tpl-twice")).statusCode(200).body("status", equalTo("SENT"));
        Lambda.invoke(Messages.template(app, "tpl-twice")).statusCode(200)
                .body("status", equalTo("SENT"), "replayed", equalTo(true), "msgid", equalTo(9), "via", equalTo("template/send"));

        assertEquals(1, wechat.postsTo(WeChatStubs.TEMPLATE_PATH, token).size());
    }

    @Test
    void aSubscribeMessageGoesToSubscribeSendAsDocumented() throws Exception {
        wechat.answerInTurn(WeChatStubs.SUBSCRIBE_PATH, token, okJson(WeChatStubs.errcode(0, "ok")));

        Lambda.invoke(Messages.subscribe(app, "sub-1")).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("subscribe/send"));

        JsonNode body = JSON.readTree(wechat.postsTo(WeChatStubs.SUBSCRIBE_PATH, token).get(0).getBodyAsString());
        assertEquals(Messages.OPENID, body.get("touser").asText());
        assertEquals("SUB_delivery-01", body.get("template_id").asText());
        assertEquals("pages/order/detail?id=1", body.get("page").asText());
        assertEquals("trial", body.get("miniprogram_state").asText());
        assertEquals("en_US", body.get("lang").asText());
        assertEquals("{\"value\":\"Order shipped\"}", body.at("/data/thing1").toString());
    }

    @Test
    void aRefusedSubscriptionIsRejectedWithWhatToDo() {
        wechat.answerInTurn(WeChatStubs.SUBSCRIBE_PATH, token, okJson(WeChatStubs.errcode(43101, "user refuse to accept the msg")));

        Lambda.invoke(Messages.subscribe(app, "sub-43101")).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(43101), "via", equalTo("subscribe/send"),
                        "reason", containsString("subscribe again"));
        assertEquals(1, wechat.postsTo(WeChatStubs.SUBSCRIBE_PATH, token).size());
    }

    @Test
    void invalidTemplateDataIsRejectedNamingTheFieldWeChatNamed() {
        wechat.answerInTurn(WeChatStubs.SUBSCRIBE_PATH, token,
                okJson(WeChatStubs.errcode(47003, "argument invalid! data.time3.value invalid rid: 676d614b")));

        Lambda.invoke(Messages.subscribe(app, "sub-47003")).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(47003), "reason", containsString("data.time3.value"));
    }

    @Test
    void aTemplateSendRejectionIsReportedWithItsMeaning() {
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token, okJson(WeChatStubs.errcode(43004, "require subscribe")));

        Lambda.invoke(Messages.template(app, "tpl-43004")).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(43004), "reason", containsString("does not follow"));
    }

    @Test
    void eachKindsDryRunShowsItsEndpointAndExactBody() throws Exception {
        String template = Messages.template(app, "dry-t").replaceFirst("\\{", "{\"dryRun\":true,");
        JsonNode shown = JSON.readTree(Lambda.invoke(template).statusCode(200).extract().asByteArray());
        assertEquals("DRY_RUN", shown.get("status").asText());
        assertEquals("cgi-bin/message/template/send", shown.get("endpoint").asText());
        assertEquals(Messages.OA_OPENID, shown.at("/body/touser").asText());
        assertFalse(shown.get("body").has("kind"), "the body is WeChat's, without wxsend's fields");

        String subscribe = Messages.subscribe(app, "dry-s").replaceFirst("\\{", "{\"dryRun\":true,");
        shown = JSON.readTree(Lambda.invoke(subscribe).statusCode(200).extract().asByteArray());
        assertEquals("cgi-bin/message/subscribe/send", shown.get("endpoint").asText());
        assertEquals("Order shipped", shown.at("/body/data/thing1/value").asText());
        assertEquals("trial", shown.at("/body/miniprogram_state").asText());

        String uniform = Messages.forApp(app, "dry-u").replaceFirst("\\{", "{\"dryRun\":true,");
        shown = JSON.readTree(Lambda.invoke(uniform).statusCode(200).extract().asByteArray());
        assertEquals("cgi-bin/message/wxopen/template/uniform_send", shown.get("endpoint").asText());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void eachKindIsValidatedByItsOwnRules() {
        String subscribe = Messages.subscribe(app, "bad-s");
        String template = Messages.template(app, "bad-t");
        invalid(subscribe.replace("\"kind\":\"subscribe\"", "\"kind\":\"sms\""), "kind");
        invalid(subscribe.replace("\"lang\":\"en_US\"", "\"lang\":\"fr_FR\""), "lang");
        invalid(subscribe.replace("\"miniprogram_state\":\"trial\"", "\"miniprogram_state\":\"production\""), "miniprogram_state");
        invalid(subscribe.replace("Order shipped", "An order has been shipped to you"), "data.thing1.value");
        invalid(subscribe.replace("\"time3\":", "\"name4\":{\"value\":\"欧阳上官司马诸葛东方皇甫\"},\"time3\":"), "data.name4.value");
        invalid(subscribe.replace("{\"value\":\"Order shipped\"}", "{\"value\":\"Order shipped\",\"color\":\"#173177\"}"),
                "data.thing1.color");
        invalid(subscribe.replace("\"page\":", "\"url\":\"https://example.com\",\"page\":"), "url");
        invalid(template.replace("SF1234567890", "SF1234567890-SF1234567890"), "data.keyword1.value");
        invalid(template.replace("\"template_id\":\"TPL_order_shipped\",", ""), "template_id");
        invalid(template.replace("\"url\":\"https://example.com/orders/1\"", "\"url\":\"ftp://example.com\""), "url");
        invalid(template.replace("\"url\":", "\"mp_template_msg\":{},\"url\":"), "mp_template_msg");
        invalid(Messages.forApp(app).replaceFirst("\\{", "{\"template_id\":\"x\","), "template_id");
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aSubscribeBatchReachesEachRecipientThroughSubscribeSend() throws Exception {
        wechat.answerInTurn(WeChatStubs.SUBSCRIBE_PATH, token, okJson(WeChatStubs.errcode(0, "ok")));
        String batch = Messages.subscribe(app, "sub-batch").replace("\"touser\":\"" + Messages.OPENID + "\",", "")
                .replaceFirst("\\{", "{\"recipients\":[{\"touser\":\"" + Messages.openid(1) + "\"},{\"touser\":\""
                        + Messages.openid(2) + "\",\"data\":{\"thing1\":{\"value\":\"Out for delivery\"}}}],");

        JsonNode result = JSON.readTree(Lambda.invoke(batch).statusCode(200).extract().asByteArray());

        assertEquals("COMPLETE", result.get("status").asText(), result::toString);
        assertEquals("subscribe/send", result.at("/results/0/via").asText());
        List<LoggedRequest> posts = wechat.postsTo(WeChatStubs.SUBSCRIBE_PATH, token);
        assertEquals(2, posts.size());
        List<String> things = posts.stream().map(p -> {
            try {
                JsonNode body = JSON.readTree(p.getBodyAsString());
                return body.get("touser").asText() + ":" + body.at("/data/thing1/value").asText();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).sorted().toList();
        assertEquals(List.of(Messages.openid(1) + ":Order shipped", Messages.openid(2) + ":Out for delivery"), things);
    }

    private static void invalid(String request, String field) {
        Lambda.invoke(request).statusCode(200).body("status", equalTo("INVALID"), "errors.field", hasItem(field));
    }
}
