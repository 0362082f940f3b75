package wxsend.entry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;

import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * The HTTP API's contract, run once against each surface: Quarkus REST on a server, and the
 * Lambda function behind API Gateway. Both must answer every case the same way.
 */
abstract class HttpContract {

    record Reply(int status, Map<String, String> headers, JsonNode body) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> AS_JSON = Map.of("content-type", "application/json");

    final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    String appid;

    /** One call through the surface under test; header names in lower case. */
    abstract Reply call(String method, String path, Map<String, String> headers, byte[] body);

    Reply post(String path, String body) {
        return call("POST", path, AS_JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
    }

    @Test
    void aSentMessageIs200() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendOk("ACCESS-http-" + appid);

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(200, reply.status());
        assertEquals("SENT", reply.body().get("status").asText());
        assertEquals(1, reply.body().get("attempts").asInt());
        assertTrue(reply.headers().getOrDefault("content-type", "").startsWith("application/json"), reply.headers()::toString);
    }

    @Test
    void eachKindIsServedTheSameWay() {
        String token = "ACCESS-http-kinds-" + appid;
        wechat.tokenIs(appid, token);
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token, okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":5}"));
        wechat.answerInTurn(WeChatStubs.SUBSCRIBE_PATH, token, okJson(WeChatStubs.errcode(43101, "user refuse to accept the msg")));

        Reply template = post("/messages", Messages.template(appid, "http-kind-t"));
        assertEquals(200, template.status());
        assertEquals("template/send", template.body().get("via").asText());
        assertEquals(5, template.body().get("msgid").asInt());

        Reply subscribe = post("/messages", Messages.subscribe(appid, "http-kind-s"));
        assertEquals(422, subscribe.status());
        assertEquals(43101, subscribe.body().get("errcode").asInt());
    }

    @Test
    void aDryRunIs200WithTheBody() throws Exception {
        Reply reply = post("/messages", Messages.forApp(appid).replaceFirst("\\{", "{\"dryRun\":true,"));

        assertEquals(200, reply.status());
        assertEquals("DRY_RUN", reply.body().get("status").asText());
        assertEquals(JSON.readTree(Messages.body()), reply.body().get("body"));
        assertEquals(0, wechat.allRequests());
        assertTrue(reply.body().path("idempotencyKey").isMissingNode(), "a dry run records nothing, so it needs no key");
        assertTrue(!reply.headers().containsKey("idempotency-key"), reply.headers()::toString);
    }

    @Test
    void anInvalidRequestIs400WithFieldErrors() {
        Reply reply = post("/messages", "{\"touser\":42}");

        assertEquals(400, reply.status());
        assertEquals("INVALID", reply.body().get("status").asText());
        assertEquals("touser", reply.body().get("errors").get(0).get("field").asText());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aRejectionIs422WithWeChatsErrcode() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendWith("ACCESS-http-" + appid, okJson(WeChatStubs.errcode(40037, "invalid template_id")));

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(422, reply.status());
        assertEquals(40037, reply.body().get("errcode").asInt());
    }

    @Test
    void weChatBusyToTheEndIs502() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendWith("ACCESS-http-" + appid, okJson(WeChatStubs.errcode(-1, "system error")));

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(502, reply.status());
        assertEquals("FAILED", reply.body().get("status").asText());
        assertEquals(-1, reply.body().get("errcode").asInt());
    }

    /** A 503 page came after the request was written: uniform_send may have delivered it, and cannot drop a repeat. */
    @Test
    void weChatAnsweringWithoutJsonIsUnknown504() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendWith("ACCESS-http-" + appid, aResponse().withStatus(503).withBody("<html>busy</html>"));

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(504, reply.status());
        assertEquals("UNKNOWN", reply.body().get("status").asText());
        assertEquals(1, wechat.sends().size());
    }

    @Test
    void aResetAfterTheRequestWasWrittenIs504Unknown() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendWith("ACCESS-http-" + appid, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(504, reply.status());
        assertEquals("UNKNOWN", reply.body().get("status").asText());
        assertEquals(1, wechat.sendsWith("ACCESS-http-" + appid).size());

        // Sent without a key, it ran under one made for it, named in the body and the header: the
        // retry that ordinary middleware makes of a 504 carries it, and is answered from the record.
        String key = reply.body().path("idempotencyKey").asText();
        assertTrue(key.matches("req-[0-9a-f-]{36}"), reply.body()::toString);
        assertEquals(key, reply.headers().get("idempotency-key"), reply.headers()::toString);
        Reply retry = call("POST", "/messages", Map.of("content-type", "application/json", "idempotency-key", key),
                Messages.forApp(appid).getBytes(StandardCharsets.UTF_8));

        assertEquals(504, retry.status());
        assertEquals("UNKNOWN", retry.body().get("status").asText());
        assertTrue(retry.body().get("replayed").asBoolean(), retry.body()::toString);
        assertEquals(key, retry.headers().get("idempotency-key"));
        assertEquals(1, wechat.sendsWith("ACCESS-http-" + appid).size(), "the retry posted nothing");
    }

    @Test
    void healthIsUpWithoutCallingWeChat() {
        Reply reply = call("GET", "/health", Map.of(), null);

        assertEquals(200, reply.status());
        assertEquals("UP", reply.body().get("status").asText());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void anUnknownRouteIs404() {
        assertEquals(404, post("/nothing-here", Messages.body()).status());
        // Dev mode's WeChat stand-in exists only in a build that asked for it (WECHAT_STAND_IN).
        assertEquals(404, post("/dev/wechat/cgi-bin/stable_token", "{\"appid\":\"wx00000000000000d0\"}").status());
        assertEquals(404, call("GET", "/", Map.of(), null).status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aWrongMethodIs405NamingTheRightOne() {
        Reply get = call("GET", "/messages", Map.of(), null);
        assertEquals(405, get.status());
        assertEquals("POST", get.headers().get("allow"));
        assertEquals(405, call("DELETE", "/messages", Map.of(), null).status());
        assertEquals(405, post("/health", "{}").status());
    }

    @Test
    void anOversizedBodyIs413() {
        String huge = "{\"touser\":\"" + "x".repeat(1_100_000) + "\"}";
        Reply reply = post("/messages", huge);

        assertEquals(413, reply.status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        Reply reply = call("POST", "/messages", Map.of("content-type", "text/plain"),
                Messages.body().getBytes(StandardCharsets.UTF_8));

        assertEquals(415, reply.status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void malformedJsonIs400NotA500() {
        for (String body : new String[] { "{\"touser\":", "not json", "{\"a\":1}}", "\u0000" }) {
            Reply reply = post("/messages", body);
            assertEquals(400, reply.status(), body);
            assertEquals("INVALID", reply.body().get("status").asText());
        }
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void anEmptyBodyIs400() {
        assertEquals(400, call("POST", "/messages", AS_JSON, new byte[0]).status());
        assertEquals(400, post("/messages", "[]").status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void invalidUtf8IsRefusedCleanly() {
        byte[] body = "{\"touser\":\"o\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Reply reply = call("POST", "/messages", AS_JSON, body);

        assertEquals(400, reply.status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aTrailingSlashIsTheSameRoute() {
        Reply reply = post("/messages/", Messages.forApp(appid).replaceFirst("\\{", "{\"dryRun\":true,"));
        assertEquals(200, reply.status());
    }

    @Test
    void aDuplicateWithTheSameIdempotencyKeyIsReplayedAndNotSent() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendOk("ACCESS-http-" + appid);
        Map<String, String> keyed = Map.of("content-type", "application/json", "idempotency-key", "order-42");

        Reply first = call("POST", "/messages", keyed, Messages.forApp(appid).getBytes(StandardCharsets.UTF_8));
        Reply second = call("POST", "/messages", keyed, Messages.forApp(appid).getBytes(StandardCharsets.UTF_8));

        assertEquals(200, first.status());
        assertEquals("order-42", first.body().get("idempotencyKey").asText());
        assertTrue(first.body().path("replayed").isMissingNode());
        assertEquals(200, second.status());
        assertEquals("SENT", second.body().get("status").asText());
        assertTrue(second.body().get("replayed").asBoolean());
        assertEquals(1, wechat.sends().size());
    }

    @Test
    void aKeyReusedForADifferentMessageIs422() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendOk("ACCESS-http-" + appid);
        post("/messages", Messages.forApp(appid, "reused"));

        Reply reply = post("/messages", Messages.forApp(appid, "reused").replace("TPL_lottery-result_01", "TPL_other"));

        assertEquals(422, reply.status());
        assertEquals("REJECTED", reply.body().get("status").asText());
        assertTrue(reply.body().get("reason").asText().contains("different request"));
        assertEquals(1, wechat.sends().size());
    }

    @Test
    void aHeaderKeyThatDisagreesWithTheBodyIs400() {
        Reply reply = call("POST", "/messages", Map.of("content-type", "application/json", "idempotency-key", "a"),
                Messages.forApp(appid, "b").getBytes(StandardCharsets.UTF_8));

        assertEquals(400, reply.status());
        assertEquals("idempotencyKey", reply.body().get("errors").get(0).get("field").asText());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aBatchSendsEachRecipientItsOwnData() throws Exception {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendOk("ACCESS-http-" + appid);

        Reply reply = post("/messages/batch", Messages.batch(appid, 5));

        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("COMPLETE", reply.body().get("status").asText());
        assertEquals(5, reply.body().get("counts").get("SENT").asInt());
        JsonNode third = reply.body().get("results").get(3);
        assertEquals(3, third.get("index").asInt());
        assertEquals("SENT", third.get("status").asText());
        assertTrue(!reply.body().toString().contains(Messages.openid(3)), "results carry masked openids only");
        assertEquals(5, wechat.sends().size());
        for (var sent : wechat.sends()) {
            JsonNode body = JSON.readTree(sent.getBodyAsString());
            int index = Integer.parseInt(body.get("touser").asText().substring(5));
            assertEquals("prize " + index, body.at("/mp_template_msg/data/keyword1/value").asText());
            assertEquals("点击查询详情", body.at("/mp_template_msg/data/remark/value").asText());
        }
    }

    @Test
    void aRedeliveredBatchSendsOnlyToThoseNotYetReached() throws Exception {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        StandIns.wechat().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(WeChatStubs.SEND_PATH))
                .willReturn(okJson(WeChatStubs.errcode(0, "ok"))));
        StandIns.wechat().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(WeChatStubs.SEND_PATH))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(Messages.openid(2)))
                .willReturn(okJson(WeChatStubs.errcode(-1, "system busy"))));

        Reply first = post("/messages/batch", Messages.batch(appid, 4, "nightly-7"));

        assertEquals(503, first.status());
        assertEquals("INCOMPLETE", first.body().get("status").asText());
        assertEquals("FAILED", first.body().get("results").get(2).get("status").asText());
        assertEquals(3, first.body().get("counts").get("SENT").asInt());

        StandIns.wechat().resetMappings();
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendOk("ACCESS-http-" + appid);
        StandIns.wechat().resetRequests();
        Reply second = post("/messages/batch", Messages.batch(appid, 4, "nightly-7"));

        assertEquals(200, second.status());
        assertEquals("COMPLETE", second.body().get("status").asText());
        assertEquals(1, wechat.sends().size(), "only the recipient not yet reached is sent to");
        assertTrue(JSON.readTree(wechat.sends().get(0).getBodyAsString()).get("touser").asText().equals(Messages.openid(2)));
        assertTrue(second.body().get("results").get(0).get("replayed").asBoolean());
    }

    @Test
    void aBatchWithABadRecipientIsRefusedWhole() {
        String body = Messages.batch(appid, 3).replace(Messages.openid(1), "not an openid!");

        Reply reply = post("/messages/batch", body);

        assertEquals(400, reply.status());
        assertEquals("INVALID", reply.body().get("status").asText());
        assertEquals("recipients[1].touser", reply.body().get("errors").get(0).get("field").asText());
        assertEquals(0, wechat.allRequests());
    }
}
