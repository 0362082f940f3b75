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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * Customer-service messages (kind custom) through custom/send: each msgtype's documented body,
 * WeChat's 48-hour window (45015) and per-interaction limit (45047) refused once with what to do,
 * validation naming the field, dry runs and batches.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class CustomTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "{\"content\":\"Your parcel is at the door\"}";
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String app;
    private String token;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        app = TestApps.next();
        token = "ACCESS-custom-" + app;
        wechat.tokenIs(app, token);
    }

    @AfterEach
    void clean() {
        LogHygiene.assertClean(logs.text());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "text|{\"content\":\"Your parcel is at the door\"}",
            "image|{\"media_id\":\"MEDIA_abc-123\"}",
            "link|{\"title\":\"Your order\",\"description\":\"Shipped today\",\"url\":\"https://example.com/o/1\",\"thumb_url\":\"https://example.com/t.png\"}",
            "news|{\"articles\":[{\"title\":\"Sale\",\"description\":\"Today only\",\"url\":\"https://example.com/sale\",\"picurl\":\"https://example.com/s.jpg\"}]}",
            "miniprogrampage|{\"title\":\"Order 1\",\"appid\":\"wxbbbbbbbbbbbbbbb2\",\"pagepath\":\"pages/order/1\",\"thumb_media_id\":\"MEDIA_thumb\"}" })
    void eachMsgtypeIsPostedToCustomSendAsDocumented(String msgtype, String object) throws Exception {
        wechat.answerInTurn(WeChatStubs.CUSTOM_PATH, token, okJson(WeChatStubs.errcode(0, "ok")));

        Lambda.invoke(Messages.custom(app, "cs-" + msgtype, msgtype, object)).statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("custom/send"));

        JsonNode body = JSON.readTree(wechat.postsTo(WeChatStubs.CUSTOM_PATH, token).get(0).getBodyAsString());
        List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("touser", "msgtype", msgtype), names, body::toString);
        assertEquals(Messages.OPENID, body.get("touser").asText());
        assertEquals(JSON.readTree(object), body.get(msgtype), "the object as written");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "45015|response out of time limit or subscription is canceled|48 hours",
            "45047|out of response count limit|wait for the user" })
    void outsideTheWindowOrOverTheLimitIsRejectedOnceWithWhatToDo(int errcode, String errmsg, String advice) {
        wechat.answerInTurn(WeChatStubs.CUSTOM_PATH, token, okJson(WeChatStubs.errcode(errcode, errmsg)));

        Lambda.invoke(Messages.custom(app, "cs-" + errcode, "text", TEXT)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(errcode), "reason", containsString(advice));
        assertEquals(1, wechat.postsTo(WeChatStubs.CUSTOM_PATH, token).size(), "never retried");
    }

    @Test
    void badRequestsNameTheirFieldAndPostNothing() {
        invalid(Messages.custom(app, "cs-bad-1", "text", TEXT).replace("\"msgtype\":\"text\",", ""), "msgtype");
        invalid(Messages.custom(app, "cs-bad-2", "text", TEXT).replace("\"msgtype\":\"text\"", "\"msgtype\":\"voice\""), "msgtype");
        invalid(Messages.custom(app, "cs-bad-3", "image", TEXT).replace("\"image\":", "\"text\":"), "image");
        invalid(Messages.custom(app, "cs-bad-4", "text", "{\"content\":\"" + "x".repeat(2049) + "\"}"), "text.content");
        invalid(Messages.custom(app, "cs-bad-5", "text", "{\"content\":\"hi\",\"colour\":\"red\"}"), "text.colour");
        invalid(Messages.custom(app, "cs-bad-6", "link", "{\"title\":\"t\",\"url\":\"example.com\",\"thumb_url\":\"https://e.com/t\"}"),
                "link.url");
        invalid(Messages.custom(app, "cs-bad-7", "news", "{\"articles\":[{\"title\":\"a\",\"url\":\"https://e.com/a\"},"
                + "{\"title\":\"b\",\"url\":\"https://e.com/b\"}]}"), "news.articles");
        invalid(Messages.custom(app, "cs-bad-8", "miniprogrampage", "{\"title\":\"t\",\"pagepath\":\"p\"}"),
                "miniprogrampage.thumb_media_id");
        invalid(Messages.custom(app, "cs-bad-9", "text", TEXT).replaceFirst("\\{", "{\"data\":{},"), "data");
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aDryRunShowsTheBodyAndABatchReachesEachRecipientWithoutData() throws Exception {
        JsonNode shown = JSON.readTree(Lambda.invoke(Messages.custom(app, "cs-dry", "text", TEXT)
                .replaceFirst("\\{", "{\"dryRun\":true,")).statusCode(200).extract().asByteArray());
        assertEquals("DRY_RUN", shown.get("status").asText(), shown::toString);
        assertEquals("cgi-bin/message/custom/send", shown.get("endpoint").asText());
        assertEquals(0, wechat.postsTo(WeChatStubs.CUSTOM_PATH).size());

        wechat.answerInTurn(WeChatStubs.CUSTOM_PATH, token, okJson(WeChatStubs.errcode(0, "ok")));
        String batch = Messages.custom(app, "cs-batch", "text", TEXT).replace("\"touser\":\"" + Messages.OPENID + "\",", "")
                .replaceFirst("\\{", "{\"recipients\":[{\"touser\":\"" + Messages.openid(1) + "\"},{\"touser\":\""
                        + Messages.openid(2) + "\"}],");
        Lambda.invoke(batch).statusCode(200).body("status", equalTo("COMPLETE"), "counts.SENT", equalTo(2));
        assertEquals(2, wechat.postsTo(WeChatStubs.CUSTOM_PATH, token).size());

        String withData = batch.replace("{\"touser\":\"" + Messages.openid(1) + "\"}",
                "{\"touser\":\"" + Messages.openid(1) + "\",\"data\":{\"k\":{\"value\":\"v\"}}}").replace("cs-batch", "cs-batch-2");
        Lambda.invoke(withData).statusCode(200).body("status", equalTo("INVALID"), "errors.field", hasItem("recipients[0].data"));
    }

    private static void invalid(String request, String field) {
        Lambda.invoke(request).statusCode(200).body("status", equalTo("INVALID"), "errors.field", hasItem(field));
    }
}
