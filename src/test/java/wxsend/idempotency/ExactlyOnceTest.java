package wxsend.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * Exactly once, without swallowing. A crashed or timed-out send leaves its key IN_PROGRESS in
 * DynamoDB Local, exactly as a holder that died after posting leaves it (claimed, never recorded);
 * the retry that comes after the claim's expiry posts nothing where WeChat cannot drop a repeat.
 * Keys follow the entry point: over HTTP, a request without one runs under a key made for it.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class ExactlyOnceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String appid;
    private String token;

    @TestHTTPResource("/")
    URL server;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
        token = "ACCESS-once-" + appid;
        wechat.tokenIs(appid, token);
    }

    @AfterEach
    void nothingSecretLogged() {
        LogHygiene.assertClean(logs.text());
    }

    /** Leaves the key as a holder that claimed it at {@code claimedAt}, posted, and died leaves it. */
    private void crashedMidSend(String key, Instant claimedAt) {
        StandIns.dynamo().updateItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE)
                .key(Map.of("id", AttributeValue.fromS(appid + "#" + key)))
                .updateExpression("SET #state = :p, #claimedAt = :c, #expiresAt = :e, #owner = :o REMOVE #result")
                .expressionAttributeNames(Map.of("#state", "state", "#claimedAt", "claimedAt", "#expiresAt", "expiresAt",
                        "#owner", "owner", "#result", "result"))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("IN_PROGRESS"),
                        ":c", AttributeValue.fromN(Long.toString(claimedAt.toEpochMilli())),
                        ":e", AttributeValue.fromN(Long.toString(claimedAt.plusSeconds(35).toEpochMilli())),
                        ":o", AttributeValue.fromS("the-instance-that-died"))));
    }

    @Test
    void aRetryAfterACrashedUniformSendPostsNothingAndAnswersUnknown() {
        wechat.sendOk(token);
        Lambda.invoke(Messages.forApp(appid, "crash-u")).statusCode(200).body("status", equalTo("SENT"));
        crashedMidSend("crash-u", Instant.now().minusSeconds(60));

        Lambda.invoke(Messages.forApp(appid, "crash-u")).statusCode(200)
                .body("status", equalTo("UNKNOWN"), "attempts", equalTo(0), "reason", containsString("never finished"));
        Lambda.invoke(Messages.forApp(appid, "crash-u")).statusCode(200)
                .body("status", equalTo("UNKNOWN"), "replayed", equalTo(true));

        assertEquals(1, wechat.sends().size(), "WeChat received the message once");
    }

    @Test
    void aRetryAfterACrashedSubscribeSendPostsNothingAndAnswersUnknown() {
        wechat.answerInTurn(WeChatStubs.SUBSCRIBE_PATH, token, okJson(WeChatStubs.errcode(0, "ok")));
        Lambda.invoke(Messages.subscribe(appid, "crash-s")).statusCode(200).body("status", equalTo("SENT"));
        crashedMidSend("crash-s", Instant.now().minusSeconds(60));

        Lambda.invoke(Messages.subscribe(appid, "crash-s")).statusCode(200)
                .body("status", equalTo("UNKNOWN"), "reason", containsString("subscribe/send cannot drop a repeat"));

        assertEquals(1, wechat.postsTo(WeChatStubs.SUBSCRIBE_PATH, token).size());
    }

    @Test
    void aRetryAfterACrashedTemplateSendRepeatsItsClientMsgIdWithinTenMinutes() throws Exception {
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token, okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":7}"));
        Lambda.invoke(Messages.template(appid, "crash-t")).statusCode(200).body("status", equalTo("SENT"));
        crashedMidSend("crash-t", Instant.now().minusSeconds(60));

        Lambda.invoke(Messages.template(appid, "crash-t")).statusCode(200).body("status", equalTo("SENT"), "msgid", equalTo(7));

        List<LoggedRequest> posts = wechat.postsTo(WeChatStubs.TEMPLATE_PATH, token);
        assertEquals(2, posts.size());
        String first = JSON.readTree(posts.get(0).getBodyAsString()).get("client_msg_id").asText();
        assertEquals(first, JSON.readTree(posts.get(1).getBodyAsString()).get("client_msg_id").asText(),
                "the repeat carries the same client_msg_id, so WeChat drops it");
    }

    @Test
    void aCrashedTemplateSendOlderThanTenMinutesIsNotRepeated() {
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token, okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":7}"));
        Lambda.invoke(Messages.template(appid, "crash-t-old")).statusCode(200).body("status", equalTo("SENT"));
        crashedMidSend("crash-t-old", Instant.now().minus(Duration.ofMinutes(11)));

        Lambda.invoke(Messages.template(appid, "crash-t-old")).statusCode(200)
                .body("status", equalTo("UNKNOWN"), "reason", containsString("10 minutes"));

        assertEquals(1, wechat.postsTo(WeChatStubs.TEMPLATE_PATH, token).size());
    }

    private Response post(String body, String key) {
        var request = given().baseUri("http://" + server.getHost()).port(server.getPort()).contentType("application/json");
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.body(body).post("/messages");
    }

    @Test
    void overHttpTwoRequestsWithoutAKeyAreTwoSendsEachRecordedUnderAKeyMadeForIt() {
        wechat.sendOk(token);
        Response first = post(Messages.forApp(appid), null);
        first.then().statusCode(200).body("replayed", nullValue());
        Response second = post(Messages.forApp(appid), null);
        second.then().statusCode(200).body("replayed", nullValue());

        assertEquals(2, wechat.sends().size());
        String key = first.jsonPath().getString("idempotencyKey");
        assertTrue(key != null && key.matches("req-[0-9a-f-]{36}"), first.asString());
        assertEquals(key, first.header("Idempotency-Key"));
        assertTrue(!key.equals(second.jsonPath().getString("idempotencyKey")), "each request has its own");
        // Recorded as a caller's key is (a claim and its completion), kept for IDEMPOTENCY_TTL.
        Map<String, AttributeValue> item = StandIns.dynamo().getItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE)
                .key(Map.of("id", AttributeValue.fromS(appid + "#" + key)))).item();
        assertEquals("COMPLETED", item.get("state").s());
        long ttl = Long.parseLong(item.get("ttl").n()) - Instant.now().getEpochSecond();
        assertTrue(ttl > 23 * 3600, "kept 24 h, not a content key's window: " + ttl);
    }

    @Test
    void overHttpDeduplicateFalseSendsWithNoKeyAndNoRecord() {
        wechat.sendOk(token);
        String request = Messages.forApp(appid).replaceFirst("\\{", "{\"deduplicate\":false,");
        Response answer = post(request, null);
        answer.then().statusCode(200).body("status", equalTo("SENT"), "idempotencyKey", nullValue());
        assertEquals(null, answer.header("Idempotency-Key"));
        post(request, null).then().statusCode(200).body("status", equalTo("SENT"), "idempotencyKey", nullValue());

        assertEquals(2, wechat.sends().size());
        post(request, "k").then().statusCode(400).body("errors[0].field", equalTo("deduplicate"));
    }

    @Test
    void overHttpTwoRequestsWithTheSameKeyAreOneSend() {
        wechat.sendOk(token);
        post(Messages.forApp(appid), "order-7").then().statusCode(200);
        post(Messages.forApp(appid), "order-7").then().statusCode(200).body("replayed", equalTo(true));

        assertEquals(1, wechat.sends().size());
    }

    @Test
    void aKeyDerivedFromTheContentHoldsForTheWindowOnly() {
        wechat.sendOk(token);
        long before = Instant.now().getEpochSecond();
        String key = Lambda.invoke(Messages.forApp(appid)).statusCode(200).extract().path("idempotencyKey");
        Lambda.invoke(Messages.forApp(appid)).statusCode(200).body("replayed", equalTo(true));
        assertEquals(1, wechat.sends().size(), "a redelivery inside the window is the same send");

        Map<String, AttributeValue> item = StandIns.dynamo().getItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE)
                .key(Map.of("id", AttributeValue.fromS(appid + "#" + key)))).item();
        long ttl = Long.parseLong(item.get("ttl").n());
        assertTrue(key.startsWith("auto-"), key);
        assertTrue(ttl >= before + 3600 && ttl <= before + 3600 + 60, "kept for the 1 h window, not 24 h: " + (ttl - before));
    }

    @Test
    void aRequestMayOptOutOfContentKeys() {
        wechat.sendOk(token);
        String request = Messages.forApp(appid).replaceFirst("\\{", "{\"deduplicate\":false,");
        Lambda.invoke(request).statusCode(200).body("status", equalTo("SENT"));
        Lambda.invoke(request).statusCode(200).body("status", equalTo("SENT"), "replayed", nullValue());

        assertEquals(2, wechat.sends().size());
        Lambda.invoke(Messages.forApp(appid, "k").replaceFirst("\\{", "{\"deduplicate\":false,")).statusCode(200)
                .body("status", equalTo("INVALID"), "errors[0].field", equalTo("deduplicate"));
    }

    @Test
    void replaysAreCountedApartSoSendsAddUpToWhatWeChatReceived() {
        wechat.sendInTurn(token, okJson(WeChatStubs.errcode(-1, "busy")), okJson(WeChatStubs.errcode(0, "ok")));
        int before = logs.metrics().size();

        for (int i = 0; i < 3; i++) {
            Lambda.invoke(Messages.forApp(appid, "metric-a")).statusCode(200).body("status", equalTo("SENT"));
        }
        Lambda.invoke(Messages.forApp(appid, "metric-b")).statusCode(200).body("status", equalTo("SENT"));

        List<JsonNode> mine = logs.metrics().subList(before, logs.metrics().size()).stream()
                .filter(m -> appid.equals(m.path("app").asText())).toList();
        int sent = mine.stream().filter(m -> m.has("Sends") && "SENT".equals(m.get("Status").asText()))
                .mapToInt(m -> m.get("Sends").asInt()).sum();
        int attempts = mine.stream().filter(m -> m.has("Attempts")).mapToInt(m -> m.get("Attempts").asInt()).sum();
        int replays = mine.stream().filter(m -> m.has("Replays")).mapToInt(m -> m.get("Replays").asInt()).sum();
        assertEquals(2, sent, mine::toString);
        assertEquals(wechat.sends().size(), attempts, "every post WeChat received, and no more");
        assertEquals(2, replays);
    }

    @Test
    void aDryRunForAnAppThatIsNotConfiguredIsRefusedNamingApp() {
        String request = Messages.forApp("wx00000000000000ff").replaceFirst("\\{", "{\"dryRun\":true,");
        Response answer = post(request, null);
        assertEquals(400, answer.statusCode(), answer.asString());
        assertEquals("app", answer.jsonPath().getString("errors[0].field"));
        Lambda.invoke(request).statusCode(200).body("status", equalTo("INVALID"), "errors[0].field", equalTo("app"));
    }
}
