package wxsend.broadcast;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import software.amazon.awssdk.services.sqs.model.Message;
import wxsend.support.EventSourceMapping;
import wxsend.support.ExportDeliver;
import wxsend.support.Messages;
import wxsend.support.S3Mock;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.WeChatStubs;

/**
 * Broadcasts end to end: submitted over HTTP, recorded in DynamoDB Local, queued as chunks in
 * ElasticMQ, and delivered by the deliver function as Lambda's event source mapping would hand
 * them over (see {@link EventSourceMapping}); WireMock counts what reaches WeChat.
 */
@QuarkusTest
@TestProfile(ExportDeliver.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class BroadcastTest extends BroadcastCase {

    @Test
    void aBroadcastReachesEveryRecipientExactlyOnce() throws Exception {
        wechat.sendOk(token);
        int total = 2_000;
        String id = submit(total, "lottery-2026-11-30");

        EventSourceMapping.Run run = EventSourceMapping.drain(Duration.ofSeconds(2), Duration.ofMinutes(3));

        Map<String, Integer> reached = reached();
        JsonNode status = status(id);
        // No silent gap: a recipient the stand-in dropped under load is UNKNOWN, and counted so.
        int unknown = status.at("/counts/UNKNOWN").asInt(0);
        assertTrue(unknown <= 5, "a handful of dropped connections at most: " + unknown);
        assertTrue(reached.size() >= total - unknown, "every recipient, but for those UNKNOWN: " + reached.size());
        assertTrue(reached.values().stream().allMatch(n -> n == 1), "none twice");
        assertEquals(total / 100, run.messages(), "one chunk message a hundred recipients");
        assertEquals("DONE", status.get("state").asText(), status::toString);
        assertEquals(total - unknown, status.at("/counts/SENT").asInt());
        assertEquals(0, EventSourceMapping.deadLetters());
    }

    @Test
    void submittingTheSameBroadcastAgainQueuesNothingMore() throws Exception {
        wechat.sendOk(token);
        String id = submit(150, "same-twice");
        Response again = call("POST", "/broadcasts", Messages.batch(appid, 150, "same-twice"));
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(id, again.jsonPath().getString("id"));
        assertTrue(again.jsonPath().getBoolean("replayed"));

        EventSourceMapping.drain(Duration.ofSeconds(2), Duration.ofMinutes(1));
        assertEquals(150, wechat.sends().size());
        Response other = call("POST", "/broadcasts", Messages.batch(appid, 151, "same-twice"));
        assertEquals(409, other.statusCode(), other.asString());
    }

    @Test
    void aChunkWhoseWorkerWasKilledIsDeliveredAgainAndReachesNobodyTwice() throws Exception {
        wechat.sendOk(token);
        String id = submit(250, "killed-worker");

        // A sandbox takes the first messages, sends, and dies before it can answer: nothing is deleted.
        List<Message> first = EventSourceMapping.receive();
        EventSourceMapping.invoke(first, false);
        assertTrue(wechat.sends().size() > 0);

        EventSourceMapping.drain(Duration.ofSeconds(3), Duration.ofMinutes(1));

        Map<String, Integer> reached = reached();
        assertEquals(250, reached.size());
        assertTrue(reached.values().stream().allMatch(n -> n == 1), reached::toString);
        assertEquals(250, status(id).at("/counts/SENT").asInt(), "replays are not counted again");
    }

    @Test
    void recipientsWeChatRefusedAreListedInTheFailuresReportWithTheirWholeOpenid() throws Exception {
        S3Mock.s3();
        wechat.sendOk(token);
        StandIns.wechat().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(WeChatStubs.SEND_PATH))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(Messages.openid(7)))
                .willReturn(okJson(WeChatStubs.errcode(43004, "require subscribe"))));
        String id = submit(20, "report");

        EventSourceMapping.drain(Duration.ofSeconds(2), Duration.ofMinutes(1));

        JsonNode status = status(id);
        assertEquals("DONE", status.get("state").asText(), status::toString);
        assertEquals(19, status.at("/counts/SENT").asInt());
        assertEquals(1, status.at("/counts/REJECTED").asInt());
        String key = "wxsend-reports/" + id + "/chunk-0.0.jsonl";
        JsonNode line = JSON.readTree(S3Mock.s3().getObjectAsBytes(r -> r.bucket(S3Mock.BUCKET).key(key)).asUtf8String());
        assertEquals(Messages.openid(7), line.get("touser").asText(), "the user's own list, in the user's bucket");
        assertEquals(43004, line.get("errcode").asInt());
        assertTrue(line.get("reason").asText().contains("does not follow"), line::toString);
        assertTrue(!logs.text().contains(Messages.openid(7)), "the log never holds the whole openid");
    }

    @Test
    void aCancelledBroadcastSendsNothingMore() throws Exception {
        wechat.sendOk(token);
        String id = submit(300, "cancel-me");

        Response cancelled = call("POST", "/broadcasts/" + id + "/cancel", null);
        assertEquals(200, cancelled.statusCode(), cancelled.asString());
        EventSourceMapping.drain(Duration.ofSeconds(2), Duration.ofMinutes(1));

        assertEquals(0, wechat.sends().size());
        JsonNode status = status(id);
        assertEquals("CANCELLED", status.get("state").asText());
        assertEquals(300, status.at("/counts/CANCELLED").asInt());
    }

    @Test
    void cancellingAFinishedBroadcastIsAConflict() {
        wechat.sendOk(token);
        String id = submit(10, "finished");
        EventSourceMapping.drain(Duration.ofSeconds(2), Duration.ofMinutes(1));

        Response answer = call("POST", "/broadcasts/" + id + "/cancel", null);
        assertEquals(409, answer.statusCode(), answer.asString());
        assertEquals("CONFLICT", answer.jsonPath().getString("status"));
    }

    @Test
    void aPoisonChunkEndsInTheDeadLetterQueueAfterTheRedriveLimit() {
        StandIns.sqs().sendMessage(r -> r.queueUrl(StandIns.queueUrl())
                .messageBody("{\"chunk\":{\"broadcast\":\"bc-gone\",\"seq\":0,\"recipients\":[{\"touser\":\"o1\"}]}}"));

        // Failed on each of its MAX_RECEIVE_COUNT receives; ElasticMQ moves it on the next, as SQS does.
        EventSourceMapping.Run run = EventSourceMapping.drain(Duration.ofSeconds(4), Duration.ofSeconds(30));

        assertEquals(StandIns.MAX_RECEIVE_COUNT, run.failed(), run::toString);
        assertEquals(1, EventSourceMapping.deadLetters());
        assertEquals(0, wechat.sends().size());
    }

    @Test
    void aBroadcastOverTheInlineLimitIsRefusedNamingRecipients() {
        Response over = call("POST", "/broadcasts", Messages.batch(appid, 10_001, "too-many"));
        assertEquals(400, over.statusCode(), over.asString().substring(0, Math.min(300, over.asString().length())));
        assertEquals("recipients", over.jsonPath().getString("errors[0].field"));
        assertTrue(over.jsonPath().getString("errors[0].message").contains("10000"));
    }

    @Test
    void badBroadcastsAreRefusedNamingTheFieldAndQueueNothing() {
        Response fromS3 = call("POST", "/broadcasts", Messages.batch(appid, 1).replace("\"recipients\"",
                "\"recipientsFrom\":\"s3://bucket/list.jsonl\",\"recipients\""));
        assertEquals(400, fromS3.statusCode(), fromS3.asString());
        assertEquals("recipientsFrom", fromS3.jsonPath().getString("errors[0].field"));

        Response invalid = call("POST", "/broadcasts", Messages.batch(appid, 2).replace(Messages.openid(1), "bad openid!"));
        assertEquals(400, invalid.statusCode(), invalid.asString());
        assertEquals("recipients[1].touser", invalid.jsonPath().getString("errors[0].field"));

        assertEquals(404, call("GET", "/broadcasts/bc-no-such-broadcast", null).statusCode());
        assertEquals(404, call("POST", "/broadcasts/bc-no-such-broadcast/cancel", null).statusCode());
        assertEquals(405, call("GET", "/broadcasts", null).statusCode());
        assertEquals(0, EventSourceMapping.receive().size(), "nothing was queued");
    }
}
