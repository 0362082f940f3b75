package wxsend.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
 * Never twice: Lambda and EventBridge deliver at least once and retry failures, and callers
 * retry too. The idempotency records live in DynamoDB Local; WireMock counts what reaches WeChat.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class IdempotencyTest {

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
        token = "ACCESS-idem-" + appid;
        wechat.tokenIs(appid, token);
    }

    @AfterEach
    void nothingSecretLogged() {
        LogHygiene.assertClean(logs.text());
    }

    @Test
    void oneEventDeliveredAHundredTimesInARowIsSentOnce() {
        wechat.sendOk(token);

        for (int i = 0; i < 100; i++) {
            Lambda.invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("SENT"));
        }

        assertEquals(1, wechat.sends().size());
    }

    @Test
    void oneRequestArrivingTwentyAtOnceFiveTimesOverIsSentOnce() throws Exception {
        // Slow enough that every round overlaps the first send. Over HTTP a request de-duplicates by
        // its key only (one without a key is a new request each time), so this one carries one.
        wechat.sendWith(token, okJson(WeChatStubs.errcode(0, "ok")).withFixedDelay(300));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (int round = 0; round < 5; round++) {
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(() -> post(Messages.forApp(appid, "arrives-a-hundred-times")).statusCode());
                }
                for (Future<Integer> answer : pool.invokeAll(calls)) {
                    statuses.add(answer.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, wechat.sends().size(), "exactly one call reached WeChat");
        assertEquals(100, statuses.size());
        assertTrue(statuses.stream().allMatch(status -> status == 200 || status == 409), statuses.toString());
        assertTrue(statuses.contains(409), "duplicates that overlap the first are told it is in progress");
    }

    @Test
    void aKeyHeldInProgressAnswersInProgressAndSendsNothing() {
        wechat.sendOk(token);
        holdInProgress("held", Instant.now().plusSeconds(30));

        Lambda.invoke(Messages.forApp(appid, "held")).statusCode(500)
                .body("errorMessage", containsString("IN_PROGRESS"));

        assertEquals(0, wechat.sends().size());
    }

    @Test
    void aKeyWhoseHolderOfAnotherRequestDiedIsRefusedUntilItsRecordsLifeEnds() {
        wechat.sendOk(token);
        holdInProgress("orphaned", Instant.now().minusSeconds(1));

        // Issue 24 point 4: that request may have reached WeChat; only its own retry settles the key (7edf04b sent this one).
        Lambda.invoke(Messages.forApp(appid, "orphaned")).statusCode(200)
                .body("status", equalTo("REJECTED"), "reason", containsString("different request"));
        assertEquals(0, wechat.sends().size());

        StandIns.dynamo().updateItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE)
                .key(Map.of("id", AttributeValue.fromS(appid + "#orphaned")))
                .updateExpression("SET #ttl = :gone").expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":gone", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 1)))));
        Lambda.invoke(Messages.forApp(appid, "orphaned")).statusCode(200).body("status", equalTo("SENT"));
        assertEquals(1, wechat.sends().size());
    }

    @Test
    void aFailedSendReleasesItsKeySoTheRetrySends() {
        wechat.sendInTurn(token, okJson(WeChatStubs.errcode(-1, "system busy")), okJson(WeChatStubs.errcode(-1, "system busy")),
                okJson(WeChatStubs.errcode(-1, "system busy")), okJson(WeChatStubs.errcode(0, "ok")));

        Lambda.invoke(Messages.forApp(appid, "retry-me")).statusCode(500).body("errorMessage", containsString("FAILED"));
        Lambda.invoke(Messages.forApp(appid, "retry-me")).statusCode(200)
                .body("status", equalTo("SENT"), "idempotencyKey", equalTo("retry-me"));

        assertEquals(4, wechat.sends().size());
    }

    @Test
    void aRejectionIsKeptAndReplayed() {
        wechat.sendWith(token, okJson(WeChatStubs.errcode(40037, "invalid template_id")));

        Lambda.invoke(Messages.forApp(appid)).statusCode(200).body("status", equalTo("REJECTED"));
        Lambda.invoke(Messages.forApp(appid)).statusCode(200)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(40037), "replayed", equalTo(true));

        assertEquals(1, wechat.sends().size());
    }

    @Test
    void theRecordHasAStateAnExpiryAndATtl() {
        wechat.sendOk(token);
        long before = Instant.now().getEpochSecond();

        Lambda.invoke(Messages.forApp(appid, "inspect")).statusCode(200);

        Map<String, AttributeValue> item = StandIns.dynamo().getItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE)
                .key(Map.of("id", AttributeValue.fromS(appid + "#inspect")))).item();
        assertEquals("COMPLETED", item.get("state").s());
        long ttl = Long.parseLong(item.get("ttl").n());
        assertTrue(ttl >= before + 24 * 3600 && ttl <= before + 24 * 3600 + 60, "kept 24 h by default");
        assertTrue(item.get("result").s().contains("\"status\":\"SENT\""));
    }

    private void holdInProgress(String key, Instant until) {
        StandIns.dynamo().putItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE).item(Map.of(
                "id", AttributeValue.fromS(appid + "#" + key), "state", AttributeValue.fromS("IN_PROGRESS"),
                "payloadHash", AttributeValue.fromS("another-instance"), "owner", AttributeValue.fromS("elsewhere"),
                "expiresAt", AttributeValue.fromN(Long.toString(until.toEpochMilli())))));
    }

    private Response post(String body) {
        return given().baseUri("http://" + server.getHost()).port(server.getPort())
                .contentType("application/json").body(body).post("/messages");
    }
}
