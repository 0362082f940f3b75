package wxsend.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** Planning chunks, a broadcast's state, and WeChat's day. */
@Tag("unit")
class ChunksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ArrayNode recipients(int n, int valueLength) {
        ArrayNode recipients = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            recipients.addObject().put("touser", "o" + i).putObject("data").putObject("keyword1").put("value", "x".repeat(valueLength));
        }
        return recipients;
    }

    @Test
    void chunksHoldAtMostTheirSizeAndKeepEveryRecipientInOrder() throws Exception {
        List<String> bodies = Chunks.plan(JSON, "bc-1", recipients(250, 5), 100);
        assertEquals(3, bodies.size());
        int seen = 0;
        for (int seq = 0; seq < bodies.size(); seq++) {
            JsonNode chunk = JSON.readTree(bodies.get(seq)).get("chunk");
            assertEquals("bc-1", chunk.get("broadcast").asText());
            assertEquals(seq, chunk.get("seq").asInt());
            for (JsonNode recipient : chunk.get("recipients")) {
                assertEquals("o" + seen++, recipient.get("touser").asText());
            }
        }
        assertEquals(250, seen);
    }

    @Test
    void bigRecipientsMakeSmallerChunksSoAMessageFitsSqs() {
        List<String> bodies = Chunks.plan(JSON, "bc-1", recipients(100, 1000), 100);
        assertTrue(bodies.size() > 1, "100 recipients of 1 KB each do not fit one chunk");
        assertTrue(bodies.stream().allMatch(b -> b.length() < Chunks.MAX_BYTES + 2_000), "each chunk stays under the cap");
    }

    @Test
    void wechatsDayEndsAtMidnightInBeijing() {
        assertEquals(Instant.parse("2026-11-30T16:00:00Z"), ChunkDelivery.nextWeChatDay(Instant.parse("2026-11-30T15:59:59Z")));
        assertEquals(Instant.parse("2026-12-01T16:00:00Z"), ChunkDelivery.nextWeChatDay(Instant.parse("2026-11-30T16:00:00Z")));
    }

    private static Broadcast broadcast(long total, Map<String, Long> counts, boolean cancelled, Instant pausedUntil, Instant now) {
        return new Broadcast("bc", "wx", "h", "{}", null, total, counts, cancelled, pausedUntil, now, Broadcast.Checkpoint.START);
    }

    @Test
    void aBroadcastsStateFollowsItsRecord() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        Broadcast planning = broadcast(0, Map.of(), false, null, now);
        assertEquals(Broadcast.State.PLANNING, planning.stateAt(now));
        Broadcast sending = broadcast(10, Map.of("SENT", 4L), false, null, now);
        assertEquals(Broadcast.State.SENDING, sending.stateAt(now));
        Broadcast paused = broadcast(10, Map.of("SENT", 4L), false, now.plusSeconds(60), now);
        assertEquals(Broadcast.State.PAUSED, paused.stateAt(now));
        assertEquals(Broadcast.State.SENDING, paused.stateAt(now.plusSeconds(61)));
        Broadcast done = broadcast(10, Map.of("SENT", 8L, "REJECTED", 2L), false, null, now);
        assertEquals(Broadcast.State.DONE, done.stateAt(now));
        Broadcast cancelled = broadcast(10, Map.of("SENT", 4L, "CANCELLED", 6L), true, null, now);
        assertEquals(Broadcast.State.CANCELLED, cancelled.stateAt(now));
    }
}
