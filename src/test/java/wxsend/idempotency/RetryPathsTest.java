package wxsend.idempotency;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
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
 * Issue 24, points 1 to 4, end to end by direct invocation, with WireMock as WeChat and DynamoDB
 * Local (behind the test suite's switch) as the idempotency table: every retry path ends in a
 * status that no later retry can turn into a second delivery, and a send that provably never
 * reached WeChat is sent by its retry.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class RetryPathsTest {

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String appid;
    private String token;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
        token = "ACCESS-retry-" + appid;
    }

    @AfterEach
    void cleanUp() {
        StandIns.dynamoSwitch().on();
        LogHygiene.assertClean(logs.text());
    }

    private ValidatableResponse invoke(String request) {
        return Lambda.invoke(request).statusCode(200);
    }

    /** Moves the key's claim into the past, as the claim of a holder that stopped long ago would be. */
    private void claimExpired(String key, Instant claimedAt) {
        StandIns.dynamo().updateItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE)
                .key(Map.of("id", AttributeValue.fromS(appid + "#" + key)))
                .updateExpression("SET #claimedAt = :c, #expiresAt = :e")
                .conditionExpression("#state = :p")
                .expressionAttributeNames(Map.of("#claimedAt", "claimedAt", "#expiresAt", "expiresAt", "#state", "state"))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("IN_PROGRESS"),
                        ":c", AttributeValue.fromN(Long.toString(claimedAt.toEpochMilli())),
                        ":e", AttributeValue.fromN(Long.toString(claimedAt.plusSeconds(35).toEpochMilli())))));
    }

    /**
     * Puts a settled key back as its holder left it had it died after posting, before the verdict
     * was recorded: IN_PROGRESS, its claim long expired.
     */
    private void diedAfterPosting(String key) {
        StandIns.dynamo().updateItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE)
                .key(Map.of("id", AttributeValue.fromS(appid + "#" + key)))
                .updateExpression("SET #state = :p REMOVE #result")
                .expressionAttributeNames(Map.of("#state", "state", "#result", "result"))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("IN_PROGRESS"))));
        claimExpired(key, Instant.now().minusSeconds(120));
    }

    /**
     * Point 1: template/send whose three tries all timed out after the request was written ends
     * UNKNOWN and is kept, so a retry (here straight after; the same once WeChat's 10 minutes have
     * passed) posts nothing. On 7edf04b it ended FAILED, the key was released, and the retry posted
     * a fourth time: after 10 minutes, a second delivery.
     */
    @Test
    void templateSendWhoseTriesMayAllHaveArrivedIsUnknownAndNeverPostedAgain() {
        wechat.tokenIs(appid, token);
        wechat.answerInTurn(WeChatStubs.TEMPLATE_PATH, token, okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":9}")
                .withFixedDelay(1500));

        invoke(Messages.template(appid, "late-t")).body("status", equalTo("UNKNOWN"), "attempts", equalTo(3),
                "idempotencyKey", equalTo("late-t"));
        invoke(Messages.template(appid, "late-t")).body("status", equalTo("UNKNOWN"), "replayed", equalTo(true));

        assertEquals(3, wechat.postsTo(WeChatStubs.TEMPLATE_PATH, token).size());
    }

    /**
     * Point 2: a 502 (an egress proxy's, after it forwarded the request) for subscribe/send, which
     * cannot drop a repeat, is UNKNOWN after one post. On 7edf04b it was retried: two posts, SENT.
     */
    @Test
    void aBadGatewayForAnApiThatCannotDropRepeatsIsNotPostedAgain() {
        wechat.tokenIs(appid, token);
        wechat.answerInTurn(WeChatStubs.SUBSCRIBE_PATH, token, aResponse().withStatus(502).withBody("<html>bad gateway</html>"),
                okJson(WeChatStubs.errcode(0, "ok")));

        invoke(Messages.subscribe(appid, "bad-gw")).body("status", equalTo("UNKNOWN"), "attempts", equalTo(1),
                "reason", containsString("cannot drop a repeat"));

        assertEquals(1, wechat.postsTo(WeChatStubs.SUBSCRIBE_PATH, token).size());
    }

    /**
     * Point 3: on a cold instance the token fetch is refused (no post), and the release that
     * follows fails because DynamoDB has gone away. The retry after the claim's expiry sends,
     * because the claim says no attempt began. On 7edf04b the retry answered UNKNOWN and the
     * message was never sent.
     */
    @Test
    void aSendThatNeverPostedIsSentByItsRetryEvenWhenItsReleaseFailed() throws Exception {
        wechat.tokenAnswers(appid, okJson(WeChatStubs.errcode(40013, "invalid appid")).withFixedDelay(800));
        CompletableFuture<ValidatableResponse> first = CompletableFuture.supplyAsync(() -> invoke(Messages.forApp(appid, "cold")));
        Thread.sleep(300);
        StandIns.dynamoSwitch().off();
        first.get(30, TimeUnit.SECONDS).body("status", equalTo("REJECTED"), "attempts", equalTo(0));
        StandIns.dynamoSwitch().on();
        claimExpired("cold", Instant.now().minusSeconds(120));

        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
        invoke(Messages.forApp(appid, "cold")).body("status", equalTo("SENT"), "attempts", equalTo(1));

        assertEquals(1, wechat.sends().size());
    }

    /**
     * Point 3, the other side: a claim whose send may have posted (the claim was marked before the
     * post, and the holder died after it) is still UNKNOWN to its retry, and posts nothing.
     */
    @Test
    void aSendThatMayHavePostedIsStillUnknownToItsRetry() {
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, okJson(WeChatStubs.errcode(0, "ok")).withFixedDelay(1500));
        invoke(Messages.forApp(appid, "posted")).body("status", equalTo("UNKNOWN"));
        diedAfterPosting("posted");

        invoke(Messages.forApp(appid, "posted")).body("status", equalTo("UNKNOWN"), "attempts", equalTo(0),
                "reason", containsString("never finished"));
        assertEquals(1, wechat.sends().size());
    }

    /**
     * Point 4: payload A claimed the key and died mid-send; payload B under the same key is refused
     * (REJECTED, nothing sent, as the README says of a key reused with other content), and A's own
     * retry still settles it. On 7edf04b B took the key over and went out, and A's retry got the conflict.
     */
    @Test
    void aKeyReusedForAnotherPayloadAfterACrashSendsNothing() {
        wechat.tokenIs(appid, token);
        wechat.sendWith(token, okJson(WeChatStubs.errcode(0, "ok")).withFixedDelay(1500));
        invoke(Messages.forApp(appid, "reused")).body("status", equalTo("UNKNOWN"));
        diedAfterPosting("reused");
        wechat.sendOk(token);

        String other = Messages.forApp(appid, "reused").replace("\"keyword1\"", "\"keyword9\"");
        invoke(other).body("status", equalTo("REJECTED"), "reason", containsString("different request"));
        assertEquals(1, wechat.sends().size(), "B sent nothing");

        invoke(Messages.forApp(appid, "reused")).body("status", equalTo("UNKNOWN"), "reason", containsString("never finished"));
        assertEquals(1, wechat.sends().size());
    }
}
