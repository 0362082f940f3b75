package wxsend.send;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * A batch that cannot finish inside its time budget: 40 recipients, 2 at a time, 200 ms each,
 * against a 3 s budget whose last 1.5 s (one call's worst case) starts nothing new. The batch
 * stops starting sends, marks the rest NOT_ATTEMPTED, and answers before the budget ends; sending
 * the same batch again reaches only those not yet reached.
 */
@QuarkusTest
@TestProfile(BatchDeadlineTest.ShortBudget.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class BatchDeadlineTest {

    static final int RECIPIENTS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();

    @TestHTTPResource("/")
    URL server;

    public static class ShortBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wxsend.send.time-budget", "3s", "wxsend.wechat.connect-timeout", "500ms",
                    "wxsend.wechat.read-timeout", "1s", "wxsend.batch.concurrency", "2");
        }
    }

    @Test
    void nearTheDeadlineTheRestIsNotAttemptedAndARetrySendsOnlyThem() throws Exception {
        StandIns.wechat().resetAll();
        String appid = TestApps.next();
        String token = "ACCESS-deadline-" + appid;
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, okJson(WeChatStubs.errcode(0, "ok")).withFixedDelay(200));
        String batch = Messages.batch(appid, RECIPIENTS, "deadline-" + appid);

        // The client's own first-call set-up (REST Assured, the HTTP stack) is not the function's time.
        given().baseUri("http://" + server.getHost()).port(server.getPort()).get("/health").then().statusCode(200);
        long started = System.nanoTime();
        Response first = post(batch);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(503, first.statusCode(), first.asString());
        JsonNode outcome = JSON.readTree(first.asByteArray());
        assertEquals("INCOMPLETE", outcome.get("status").asText());
        int sent = outcome.get("counts").path("SENT").asInt();
        int skipped = outcome.get("counts").path("NOT_ATTEMPTED").asInt();
        assertTrue(sent > 0 && skipped > 0, outcome.get("counts")::toString);
        assertEquals(RECIPIENTS, sent + skipped, outcome.get("counts")::toString);
        assertEquals(sent, wechat.sendsWith(token).size());
        // The contract itself, not a speed target: Lambda ends the invocation at the deadline, results unsaid.
        assertTrue(tookMillis < 3_000, "answered after " + tookMillis + " ms, past the 3 s budget");
        for (JsonNode result : outcome.get("results")) {
            if (result.get("status").asText().equals("NOT_ATTEMPTED")) {
                assertEquals(0, result.get("attempts").asInt());
                assertTrue(result.get("reason").asText().contains("time budget"), result::toString);
            }
        }

        Response again = post(batch);
        JsonNode second = JSON.readTree(again.asByteArray());
        int sentAgain = second.get("counts").path("SENT").asInt();
        assertTrue(sentAgain > sent, "the retry should reach more: " + second.get("counts"));
        assertEquals(sentAgain, wechat.sendsWith(token).size(), "each recipient is sent to once, across both runs");
        Map<String, Integer> perRecipient = new HashMap<>();
        for (LoggedRequest send : wechat.sendsWith(token)) {
            perRecipient.merge(JSON.readTree(send.getBodyAsString()).get("touser").asText(), 1, Integer::sum);
        }
        assertTrue(perRecipient.values().stream().allMatch(n -> n == 1), perRecipient::toString);
        LogHygiene.assertClean(logs.text());
    }

    private Response post(String body) {
        return given().baseUri("http://" + server.getHost()).port(server.getPort()).contentType("application/json")
                .body(body).post("/messages/batch");
    }
}
