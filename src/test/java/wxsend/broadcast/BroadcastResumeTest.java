package wxsend.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import wxsend.support.EventSourceMapping;
import wxsend.support.ExportDeliver;
import wxsend.support.Messages;
import wxsend.support.S3Mock;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;

/**
 * What the review of the chunk ledger found (issue 23): a plan step resumed from its middle must
 * queue the chunks the first attempt queued, repeats and all; a character no queue message can
 * carry is one bad recipient, not a broadcast that can never be queued; a claim taken over keeps
 * the moment it was first made, and one with no moment is not posted again.
 */
@QuarkusTest
@TestProfile(ExportDeliver.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class BroadcastResumeTest extends BroadcastCase {

    @AfterEach
    void switchBack() {
        StandIns.dynamoSwitch().refuse(null);
    }

    private static String line(int who) {
        return "{\"touser\":\"" + Messages.openid(who) + "\",\"data\":{\"keyword1\":{\"value\":\"prize " + who + "\"}}}\n";
    }

    /**
     * Planning run to its end: every plan message met is delivered, and every chunk it queued is
     * taken out of the queue, undelivered, and answered by number (its recipients).
     */
    private static Map<Integer, String> queuedChunks() throws Exception {
        Map<Integer, String> chunks = new TreeMap<>();
        for (List<Message> batch = EventSourceMapping.receive(); !batch.isEmpty(); batch = EventSourceMapping.receive()) {
            for (Message message : batch) {
                JsonNode chunk = JSON.readTree(message.body()).path("chunk");
                if (chunk.isMissingNode()) {
                    EventSourceMapping.invoke(List.of(message), true);
                    continue;
                }
                chunks.put(chunk.get("seq").asInt(), chunk.get("recipients").toString());
                StandIns.sqs().deleteMessage(r -> r.queueUrl(StandIns.queueUrl()).receiptHandle(message.receiptHandle()));
            }
        }
        return chunks;
    }

    private static void queue(String body) {
        StandIns.sqs().sendMessage(r -> r.queueUrl(StandIns.queueUrl()).messageBody(body));
    }

    private static Map<String, AttributeValue> item(String id) {
        return StandIns.dynamo().getItem(r -> r.tableName(StandIns.BROADCAST_TABLE).key(Map.of("id", AttributeValue.fromS(id))))
                .item();
    }

    @Test
    void aPlanStepResumedFromItsMiddleQueuesTheChunksItQueuedBefore() throws Exception {
        wechat.sendOk(token);
        // One step (2,500 lines a step here) of three groups of ten chunks; line 1,500 repeats line 500, across groups.
        StringBuilder lines = new StringBuilder();
        for (int n = 1; n <= 2_400; n++) {
            lines.append(line(n == 1_500 ? 500 : n));
        }
        String object = "lists/" + appid + "-resume-mid.jsonl";
        S3Mock.s3().putObject(r -> r.bucket(S3Mock.BUCKET).key(object), RequestBody.fromString(lines.toString()));
        Response accepted = call("POST", "/broadcasts", Messages.batch(appid, 1, "resume-mid").replaceFirst(
                "\"recipients\":\\[.*\\]", "\"recipientsFrom\":\"s3://" + S3Mock.BUCKET + "/" + object + "\""));
        assertEquals(202, accepted.statusCode(), accepted.asString());
        String id = accepted.jsonPath().getString("id");
        List<Message> plan = EventSourceMapping.receive();
        String step = plan.get(0).body();
        StandIns.sqs().sendMessage(r -> r.queueUrl(StandIns.queueUrl()).messageBody(step));
        StandIns.sqs().deleteMessage(r -> r.queueUrl(StandIns.queueUrl()).receiptHandle(plan.get(0).receiptHandle()));
        Map<Integer, String> first = queuedChunks();
        assertEquals(24, first.size(), "1,000 + 999 + 400 recipients, in chunks of 100");
        assertEquals("1", item(id).get("n_REPEAT").n(), "line 1,500 was a repeat in the first attempt: one step");

        // As if the step had died after queueing its second group, before the checkpoint moved past it.
        long groupOne = lines.substring(0, lines.indexOf(line(1_001))).getBytes(StandardCharsets.UTF_8).length;
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":offset", AttributeValue.fromN(Long.toString(groupOne)));
        values.put(":lines", AttributeValue.fromN("1000"));
        values.put(":chunks", AttributeValue.fromN("10"));
        values.put(":zero", AttributeValue.fromN("0"));
        StandIns.dynamo().updateItem(r -> r.tableName(StandIns.BROADCAST_TABLE).key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression("SET planOffset = :offset, planLines = :lines, planChunks = :chunks, planRecipients = :lines, "
                        + "planStepOffset = :zero, planStepLines = :zero, #total = :zero REMOVE n_REPEAT")
                .expressionAttributeNames(Map.of("#total", "total")).expressionAttributeValues(values));
        queue(step);
        Map<Integer, String> again = queuedChunks();

        assertEquals(first.keySet().stream().filter(seq -> seq >= 10).toList(), List.copyOf(again.keySet()));
        again.forEach((seq, recipients) -> assertEquals(first.get(seq), recipients, "chunk " + seq + " as first queued"));
        // Both attempts' chunks are delivered: the same chunks, so nobody twice and nobody left out.
        first.forEach((seq, recipients) -> queue(chunk(id, seq, recipients)));
        again.forEach((seq, recipients) -> queue(chunk(id, seq, recipients)));
        EventSourceMapping.drain(Duration.ofSeconds(3), Duration.ofMinutes(3));

        JsonNode status = status(id);
        assertEquals("DONE", status.get("state").asText(), status::toString);
        assertEquals(2_400, status.get("total").asInt());
        assertEquals(1, status.at("/counts/REPEAT").asInt(), status::toString);
        assertEquals(2_399 - status.at("/counts/UNKNOWN").asLong(0), status.at("/counts/SENT").asInt(), status::toString);
        assertTrue(reached().values().stream().allMatch(n -> n == 1), "none twice");
    }

    private static String chunk(String id, int seq, String recipients) {
        try {
            return Chunks.body(JSON, id, seq, System.currentTimeMillis(), (ArrayNode) JSON.readTree(recipients));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aListWhoseLastLineEndsAStepIsPlannedToTheEnd() throws Exception {
        wechat.sendOk(token);
        // 2,500 lines a step here: the next step begins at the object's end, where a ranged read finds nothing.
        StringBuilder lines = new StringBuilder();
        for (int n = 1; n <= 2_500; n++) {
            lines.append(line(n));
        }
        String object = "lists/" + appid + "-exact-step.jsonl";
        S3Mock.s3().putObject(r -> r.bucket(S3Mock.BUCKET).key(object), RequestBody.fromString(lines.toString()));
        Response accepted = call("POST", "/broadcasts", Messages.batch(appid, 1, "exact-step").replaceFirst(
                "\"recipients\":\\[.*\\]", "\"recipientsFrom\":\"s3://" + S3Mock.BUCKET + "/" + object + "\""));
        EventSourceMapping.drain(Duration.ofSeconds(3), Duration.ofMinutes(2));

        JsonNode status = status(accepted.jsonPath().getString("id"));
        assertEquals("DONE", status.get("state").asText(), status::toString);
        assertEquals(2_500, status.get("total").asInt());
        assertEquals(0, EventSourceMapping.deadLetters(), "no plan message dead-lettered");
    }

    @Test
    void aLineWithACharacterNoQueueMessageCarriesIsInvalidAndTheOthersAreSent() throws Exception {
        wechat.sendOk(token);
        StringBuilder lines = new StringBuilder();
        for (int n = 1; n <= 30; n++) {
            lines.append(n == 7 ? line(n).replace("prize", "prize \uFFFF") : n == 9 ? line(n).replace("prize", "prize \\ud800") : line(n));
        }
        String object = "lists/" + appid + "-unsendable.jsonl";
        S3Mock.s3().putObject(r -> r.bucket(S3Mock.BUCKET).key(object), RequestBody.fromString(lines.toString()));
        Response accepted = call("POST", "/broadcasts", Messages.batch(appid, 1, "unsendable").replaceFirst(
                "\"recipients\":\\[.*\\]", "\"recipientsFrom\":\"s3://" + S3Mock.BUCKET + "/" + object + "\""));
        EventSourceMapping.drain(Duration.ofSeconds(3), Duration.ofMinutes(1));

        JsonNode status = status(accepted.jsonPath().getString("id"));
        assertEquals("DONE", status.get("state").asText(), status::toString);
        assertEquals(2, status.at("/counts/INVALID").asInt(), status::toString);
        assertEquals(28, status.at("/counts/SENT").asInt(), status::toString);
        assertFalse(reached().containsKey(Messages.openid(7)));
        assertFalse(reached().containsKey(Messages.openid(9)));
        assertTrue(logs.text().contains("line 7.data.keyword1.value"), "the field is named");
    }

    @Test
    void anInlineRecipientWithSuchACharacterIsRefusedByItsField() {
        String body = Messages.batch(appid, 5, "unsendable-inline").replace("prize 2", "prize \\uffff");
        Response refused = call("POST", "/broadcasts", body);
        assertEquals(400, refused.statusCode(), refused.asString());
        assertTrue(refused.asString().contains("recipients[2].data.keyword1.value"), refused.asString());
        assertEquals(0, wechat.sends().size());
    }

    /** A 3-recipient broadcast whose one chunk (taken out of the queue) has a ledger a dead delivery left. */
    private String chunkClaimedBy(String key, Instant claimedAt) throws Exception {
        String id = submit(3, key);
        String body = EventSourceMapping.receive().get(0).body();
        EventSourceMapping.purge();
        JsonNode recipients = JSON.readTree(body).at("/chunk/recipients");
        Map<String, AttributeValue> ledger = new HashMap<>();
        ledger.put("id", AttributeValue.fromS(id + "#c0"));
        ledger.put("fp", AttributeValue.fromS(ChunkRun.fingerprint(recipients)));
        ledger.put("st", AttributeValue.fromS("~~~"));
        ledger.put("ver", AttributeValue.fromN("1"));
        ledger.put("own", AttributeValue.fromS("dead"));
        if (claimedAt != null) {
            ledger.put("cat", AttributeValue.fromN(Long.toString(claimedAt.toEpochMilli())));
        }
        ledger.put("cut", AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(1).toEpochMilli())));
        ledger.put("done", AttributeValue.fromBool(false));
        ledger.put("ttl", AttributeValue.fromN(Long.toString(Instant.now().plus(Duration.ofDays(1)).getEpochSecond())));
        StandIns.dynamo().putItem(r -> r.tableName(StandIns.BROADCAST_TABLE).item(ledger));
        return body;
    }

    @Test
    void claimsWithNoClaimTimeAreNotPostedAgain() throws Exception {
        wechat.sendOk(token);
        String body = chunkClaimedBy("claimed-no-time", null);
        queue(body);
        EventSourceMapping.drain(Duration.ofSeconds(2), Duration.ofSeconds(30));

        assertEquals(0, wechat.sends().size(), "perhaps posted already: not posted again");
        JsonNode status = status(JSON.readTree(body).at("/chunk/broadcast").asText());
        assertEquals(3, status.at("/counts/UNKNOWN").asInt(), status::toString);
    }

    @Test
    void aTakeoverKeepsWhenTheWindowWasFirstClaimed() throws Exception {
        wechat.sendOk(token);
        Instant firstClaimed = Instant.ofEpochMilli(Instant.now().minusSeconds(120).toEpochMilli());
        String body = chunkClaimedBy("claimed-then-taken", firstClaimed);
        String id = JSON.readTree(body).at("/chunk/broadcast").asText();
        // The takeover claims the window, then dies before its last write (which would mark all three UNKNOWN).
        StandIns.dynamoSwitch().refuse("\"S\":\"UUU\"");
        queue(body);
        EventSourceMapping.invoke(EventSourceMapping.receive(), true);

        Map<String, AttributeValue> ledger = item(id + "#c0");
        assertEquals("~~~", ledger.get("st").s(), ledger::toString);
        assertNotEquals("dead", ledger.get("own").s(), "taken over");
        assertEquals(firstClaimed.toEpochMilli(), Long.parseLong(ledger.get("cat").n()),
                "WeChat's 10 minutes still count from the first claim");
        StandIns.dynamoSwitch().refuse(null);
    }
}
