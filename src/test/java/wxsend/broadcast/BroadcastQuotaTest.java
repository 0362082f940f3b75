package wxsend.broadcast;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.support.EventSourceMapping;
import wxsend.support.ExportDeliver;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.WeChatStubs;

/**
 * WeChat's quotas met by a broadcast: the minute quota (45011) sends the rest back delayed, the
 * daily quota (45009) pauses it until Beijing's midnight; neither fills the dead-letter queue.
 */
@QuarkusTest
@TestProfile(ExportDeliver.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class BroadcastQuotaTest extends BroadcastCase {

    @Test
    void theMinuteQuotaSendsTheRestBackDelayedAndEveryoneIsReachedOnce() throws Exception {
        wechat.sendWith(token, okJson(WeChatStubs.errcode(45011, "api minute-quota reach limit")));
        long since = System.nanoTime();
        String id = submit(120, "minute-quota");

        // A few rounds with the quota spent: the queue never goes quiet, since chunks keep coming back.
        EventSourceMapping.Run rounds = EventSourceMapping.drain(Duration.ofSeconds(30), Duration.ofSeconds(4));
        int quotaCalls = wechat.sends().size();
        double seconds = (System.nanoTime() - since) / 1e9;
        JsonNode waiting = status(id);
        assertEquals(0, waiting.at("/counts/SENT").asInt(), waiting::toString);
        assertEquals(0, EventSourceMapping.deadLetters(), "the quota is no reason for the dead-letter queue");

        // No storm: a chunk (two here) comes back only after BROADCAST_QUOTA_DELAY (1 s here), and a
        // delivery starts no send after the quota: at most five in flight, three attempts each. The bound
        // grows with the time taken, so a slow machine does not fail it; a storm, or a whole chunk tried, would.
        long deliveries = 2L * ((long) Math.ceil(seconds) + 1);
        assertTrue(rounds.messages() >= 2 && rounds.messages() <= deliveries,
                rounds.messages() + " chunk deliveries in " + seconds + " s, at most " + deliveries);
        long bound = deliveries * 5 * 3;
        assertTrue(quotaCalls > 0 && quotaCalls <= bound, quotaCalls + " calls in " + seconds + " s, at most " + bound);

        // The minute passes.
        everyoneIsReachedOnceWhenTheQuotaIsBack(id, 120);
    }

    @Test
    void theDailyQuotaPausesTheBroadcastUntilWeChatsNextDayWithoutDeadLetters() throws Exception {
        wechat.sendWith(token, okJson(WeChatStubs.errcode(45009, "reach max api daily quota limit")));
        String id = submit(300, "daily-quota");

        // Several rounds of a paused broadcast: its chunks keep coming back, re-queued, never failed.
        EventSourceMapping.drain(Duration.ofSeconds(30), Duration.ofSeconds(8));
        JsonNode paused = status(id);
        assertEquals("PAUSED", paused.get("state").asText(), paused::toString);
        assertEquals(ChunkDelivery.nextWeChatDay(Instant.now()), Instant.parse(paused.get("pausedUntil").asText()),
                "midnight in Beijing");
        assertEquals(0, EventSourceMapping.deadLetters());
        int triedWhilePaused = wechat.sends().size();

        // WeChat's next day: the clock moves past the pause, and the quota is back.
        StandIns.dynamo().updateItem(r -> r.tableName(StandIns.BROADCAST_TABLE).key(Map.of("id", AttributeValue.fromS(id)))
                .updateExpression("SET pausedUntil = :past").expressionAttributeValues(
                        Map.of(":past", AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(1).toEpochMilli())))));
        everyoneIsReachedOnceWhenTheQuotaIsBack(id, 300);
        assertTrue(triedWhilePaused <= 60, "once paused, chunks wait instead of calling: " + triedWhilePaused);
    }

    /** WeChat takes sends again: the rest is delivered, each recipient once, the broadcast DONE, nothing dead-lettered. */
    private void everyoneIsReachedOnceWhenTheQuotaIsBack(String id, int recipients) throws Exception {
        StandIns.wechat().resetAll();
        wechat.tokenIs(appid, token);
        wechat.sendOk(token);
        EventSourceMapping.drain(Duration.ofSeconds(3), Duration.ofMinutes(1));

        Map<String, Integer> reached = reached();
        assertEquals(recipients, reached.size());
        assertTrue(reached.values().stream().allMatch(n -> n == 1), reached::toString);
        JsonNode done = status(id);
        assertEquals("DONE", done.get("state").asText(), done::toString);
        assertEquals(recipients, done.at("/counts/SENT").asInt());
        assertEquals(0, EventSourceMapping.deadLetters(), "the quota is no reason for the dead-letter queue");
    }
}
