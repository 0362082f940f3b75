package wxsend.send;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/** Batches end to end: direct invocation and the HTTP API, WireMock as WeChat, DynamoDB Local for keys. */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class BatchTest {

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
        token = "ACCESS-batch-" + appid;
        wechat.tokenIs(appid, token);
    }

    @AfterEach
    void nothingSecretLogged() {
        LogHygiene.assertClean(logs.text());
    }

    @Test
    void aThousandRecipientsAtFiftyMillisecondsEachAreEachSentExactlyOnce() throws Exception {
        wechat.sendWith(token, okJson(WeChatStubs.errcode(0, "ok")).withFixedDelay(50));

        JsonNode result = JSON.readTree(post(Messages.batch(appid, 1000)).then().statusCode(200).extract().asByteArray());

        assertEquals("COMPLETE", result.get("status").asText());
        assertEquals(1000, result.get("total").asInt());
        assertEquals(1000, result.get("counts").get("SENT").asInt());
        assertEquals(1000, wechat.sends().size());
        Set<String> reached = new HashSet<>();
        wechat.sends().forEach(sent -> {
            try {
                reached.add(JSON.readTree(sent.getBodyAsString()).get("touser").asText());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(1000, reached.size(), "every recipient once, none twice");
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, result.get("results").get(i).get("index").asInt(), "results in request order");
        }
    }

    @Test
    void theDaysQuotaRunningOutStopsTheBatchAndMarksTheRestNotAttempted() throws Exception {
        wechat.sendWith(token, okJson(WeChatStubs.errcode(45009, "reach max api daily quota limit")));

        Response response = post(Messages.batch(appid, 30));

        assertEquals(503, response.statusCode());
        JsonNode result = JSON.readTree(response.asByteArray());
        assertEquals("INCOMPLETE", result.get("status").asText());
        int attempted = result.get("counts").get("REJECTED").asInt();
        int skipped = result.get("counts").get("NOT_ATTEMPTED").asInt();
        assertEquals(30, attempted + skipped);
        assertEquals(20, attempted, "only the sends already in flight (BATCH_CONCURRENCY) reached WeChat");
        assertEquals(attempted, wechat.sends().size());
        for (JsonNode entry : result.get("results")) {
            if (entry.get("status").asText().equals("NOT_ATTEMPTED")) {
                assertEquals(0, entry.get("attempts").asInt());
                assertTrue(entry.get("reason").asText().contains("45009"));
            }
        }

        // Tomorrow, the same batch again: the 45009 answers were not kept, so everyone is tried.
        StandIns.wechat().resetAll();
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
        post(Messages.batch(appid, 30)).then().statusCode(200).body("counts.SENT", equalTo(30));
    }

    @Test
    void aKeylessBatchCutShortByTheDaysQuotaNamesItsKeyAndARetryWithItReachesOnlyTheRest() throws Exception {
        // Recipient 2 meets 45009 at once; the others of the first wave (BATCH_CONCURRENCY, 20) are still in
        // flight, so 20 to 29 are never started.
        wechat.sendWith(token, okJson(WeChatStubs.errcode(0, "ok")).withFixedDelay(300));
        StandIns.wechat().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(WeChatStubs.SEND_PATH))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(Messages.openid(2)))
                .willReturn(okJson(WeChatStubs.errcode(45009, "reach max api daily quota limit"))));

        Response first = post(Messages.batch(appid, 30));

        assertEquals(503, first.statusCode(), first.asString());
        JsonNode result = JSON.readTree(first.asByteArray());
        assertEquals("INCOMPLETE", result.get("status").asText());
        assertEquals(19, result.get("counts").get("SENT").asInt(), result::toString);
        String key = result.path("idempotencyKey").asText();
        assertTrue(key.matches("req-[0-9a-f-]{36}"), result::toString);
        assertEquals(key, first.header("Idempotency-Key"));
        Set<String> reached = touserOfSends();
        reached.remove(Messages.openid(2));

        StandIns.wechat().resetAll();
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
        Response retry = given().baseUri("http://" + server.getHost()).port(server.getPort()).contentType("application/json")
                .header("Idempotency-Key", key).body(Messages.batch(appid, 30)).post("/messages/batch");

        assertEquals(200, retry.statusCode(), retry.asString());
        JsonNode second = JSON.readTree(retry.asByteArray());
        assertEquals("COMPLETE", second.get("status").asText());
        assertEquals(30, second.get("counts").get("SENT").asInt());
        assertEquals(key, second.get("idempotencyKey").asText());
        assertEquals(key, retry.header("Idempotency-Key"));
        Set<String> rest = touserOfSends();
        assertEquals(11, wechat.sends().size(), "recipient 2 (45009 is not kept) and the 10 never started, once each");
        assertEquals(11, rest.size());
        assertTrue(rest.contains(Messages.openid(2)) && rest.contains(Messages.openid(29)), rest::toString);
        rest.retainAll(reached);
        assertTrue(rest.isEmpty(), "none reached twice: " + rest);
    }

    private Set<String> touserOfSends() throws Exception {
        Set<String> touser = new HashSet<>();
        for (var sent : wechat.sends()) {
            touser.add(JSON.readTree(sent.getBodyAsString()).get("touser").asText());
        }
        return touser;
    }

    @Test
    void theMinuteQuotaStopsTheBatchStartingSendsThatWouldOnlyMeetItAgain() throws Exception {
        wechat.sendWith(token, okJson(WeChatStubs.errcode(45011, "api minute-quota reach limit")));

        Response response = post(Messages.batch(appid, 60));

        assertEquals(503, response.statusCode());
        JsonNode result = JSON.readTree(response.asByteArray());
        assertEquals("INCOMPLETE", result.get("status").asText());
        int failed = result.get("counts").get("FAILED").asInt();
        int skipped = result.get("counts").get("NOT_ATTEMPTED").asInt();
        assertEquals(60, failed + skipped);
        assertTrue(failed <= 20, "only the sends already in flight (BATCH_CONCURRENCY) met the quota: " + failed);
        assertTrue(skipped >= 40, "the rest were not started: " + skipped);
        assertEquals(failed * 3, wechat.sends().size(), "each started send used its attempts (SEND_MAX_ATTEMPTS), no more");
        for (JsonNode entry : result.get("results")) {
            if (entry.get("status").asText().equals("NOT_ATTEMPTED")) {
                assertTrue(entry.get("reason").asText().contains("45011"), entry::toString);
            }
        }
    }

    @Test
    void aDirectBatchThatCannotFinishFailsTheInvocationForLambdaToRetry() {
        wechat.sendWith(token, okJson(WeChatStubs.errcode(-1, "system error")));

        Lambda.invoke(Messages.batch(appid, 3, "direct-1")).statusCode(500)
                .body("errorMessage", containsString("INCOMPLETE batch"));

        wechat.sendOk(token);
        StandIns.wechat().resetRequests();
        Lambda.invoke(Messages.batch(appid, 3, "direct-1")).statusCode(200)
                .body("status", equalTo("COMPLETE"), "counts.SENT", equalTo(3));
        assertEquals(3, wechat.sends().size());
    }

    @Test
    void moreRecipientsThanTheLimitAreRefusedBeforeAnySend() {
        post(Messages.batch(appid, 1001)).then().statusCode(400)
                .body("errors[0].field", equalTo("recipients"), "errors[0].message", containsString("1 to 1000"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aRepeatedRecipientIsNamed() {
        String body = Messages.batch(appid, 3).replace(Messages.openid(2), Messages.openid(0)).replace("prize 2", "prize 0");

        post(body).then().statusCode(400)
                .body("errors[0].field", equalTo("recipients[2]"), "errors[0].message", containsString("repeats recipients[0]"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aBatchDryRunShowsEveryBody() {
        post(Messages.batch(appid, 2).replaceFirst("\\{", "{\"dryRun\":true,")).then().statusCode(200)
                .body("status", equalTo("DRY_RUN"), "results[1].body.mp_template_msg.data.keyword1.value", equalTo("prize 1"));
        assertEquals(0, wechat.allRequests());
    }

    private Response post(String body) {
        return given().baseUri("http://" + server.getHost()).port(server.getPort())
                .contentType("application/json").body(body).post("/messages/batch");
    }
}
