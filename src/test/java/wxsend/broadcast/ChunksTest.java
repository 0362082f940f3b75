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
        List<String> bodies = Chunks.plan(JSON, "bc-1", recipients(250, 5), 100, 0, 0);
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
        List<String> bodies = Chunks.plan(JSON, "bc-1", recipients(100, 1000), 100, 0, 0);
        assertTrue(bodies.size() > 1, "100 recipients of 1 KB each do not fit one chunk");
        assertTrue(bodies.stream().allMatch(b -> utf8(b) <= Chunks.MAX_BYTES), "each chunk stays under the cap");
    }

    @Test
    void chunksAreMeasuredInUtf8BytesNotCharacters() {
        ArrayNode chinese = JSON.createArrayNode();
        for (int i = 0; i < 100; i++) {
            // 300 characters of Chinese: 900 bytes of UTF-8, and one astral character (4 bytes, 2 chars).
            chinese.addObject().put("touser", "o" + i).putObject("data").putObject("remark").put("value", "中奖".repeat(150) + "😀");
        }
        List<String> bodies = Chunks.plan(JSON, "bc-1", chinese, 100, 0, 0);
        assertTrue(bodies.size() >= 2, "100 × 900 bytes do not fit one 64 KiB chunk, though 100 × 300 characters would");
        assertTrue(bodies.stream().allMatch(b -> utf8(b) <= Chunks.MAX_BYTES), "each within the cap in bytes");
        assertEquals(utf8("中奖😀x"), Chunks.utf8Length("中奖😀x"));
    }

    @Test
    void inlineRepeatsAreSentToOnceAndCountedAndAnOversizedRecipientIsNamed() throws Exception {
        ArrayNode list = recipients(5, 5);
        list.add(list.get(1).deepCopy());
        list.add(list.get(1).deepCopy());
        InlinePlan.Plan plan = InlinePlan.of(JSON, "bc-1", list, 100, 0);
        assertEquals(7, plan.total());
        assertEquals(2, plan.repeats().size());
        assertEquals(5, JSON.readTree(plan.bodies().get(0)).at("/chunk/recipients").size(), "the repeats are not in a chunk");
        assertTrue(plan.repeats().get(0).contains("recipients[1]"), plan.repeats().get(0));
        assertTrue(plan.tooLarge().isEmpty());

        ArrayNode huge = recipients(3, 10);
        ((com.fasterxml.jackson.databind.node.ObjectNode) huge.get(2).get("data").get("keyword1")).put("value",
                "长".repeat(Chunks.MAX_RECIPIENT_BYTES / 3));
        List<wxsend.send.outcome.FieldError> errors = InlinePlan.tooLarge(huge);
        assertEquals(1, errors.size());
        assertEquals("recipients[2]", errors.get(0).field());
    }

    private static int utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @Test
    void anUnsendableValueIsNamedByItsFieldWithAnOpenidKeyMasked() throws Exception {
        // A valid data key (letters and digits, 28 of them) that is an openid, holding U+FFFF.
        JsonNode recipient = JSON.readTree("{\"touser\":\"o1\",\"data\":{\"oRcpt00000000000000000000042\":{\"value\":\"\\uffff\"}}}");
        assertEquals("line 3.data.oRcp***42 (28 characters).value", Chunks.unsendable(recipient, "line 3").orElseThrow());
        assertEquals("recipients[0].data.keyword1.value", Chunks.unsendable(JSON.readTree(
                "{\"touser\":\"o1\",\"data\":{\"keyword1\":{\"value\":\"\\uffff\"}}}"), "recipients[0]").orElseThrow());
    }

    @Test
    void aBroadcastIdIsLoggedWholeWhenItIsWxsendsOwn() {
        assertEquals("bc-0123456789abcdef0123456789abcdef", Broadcast.named("bc-0123456789abcdef0123456789abcdef"));
        assertEquals("bc-gone", Broadcast.named("bc-gone"));
        assertEquals("oRcp***42 (28 characters)", Broadcast.named("oRcpt00000000000000000000042"));
    }

    @Test
    void wechatsDayEndsAtMidnightInBeijing() {
        assertEquals(Instant.parse("2026-11-30T16:00:00Z"), ChunkDelivery.nextWeChatDay(Instant.parse("2026-11-30T15:59:59Z")));
        assertEquals(Instant.parse("2026-12-01T16:00:00Z"), ChunkDelivery.nextWeChatDay(Instant.parse("2026-11-30T16:00:00Z")));
    }

    private static Broadcast broadcast(long total, Map<String, Long> counts, boolean cancelled, Instant pausedUntil, Instant now) {
        return new Broadcast("bc", "wx", "h", "{}", null, total, counts, cancelled, pausedUntil, now, Broadcast.Checkpoint.START,
                null);
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
        assertTrue(cancelled.done(), "cancelled and settled: a second cancel is refused");
        Broadcast cancelledLate = broadcast(10, Map.of("SENT", 10L), true, null, now);
        assertEquals(Broadcast.State.DONE, cancelledLate.stateAt(now), "cancelled after everyone was sent: it is DONE");
        Broadcast cancelling = broadcast(10, Map.of("SENT", 4L), true, null, now);
        assertEquals(Broadcast.State.CANCELLED, cancelling.stateAt(now));
    }
}
