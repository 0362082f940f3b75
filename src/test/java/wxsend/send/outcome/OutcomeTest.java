package wxsend.send.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Outcomes by role: the stored record, the answer, the log line, and a batch's tally. */
@Tag("unit")
class OutcomeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPENID = "oAbCdEfGhIjKlMnOpQrStUvWxYz0";
    private final Verdict sent = new Verdict(Status.SENT, "wx0000000000000001", "template/send", 0, "ok", 42L, 2, null);

    @Test
    void aStoredVerdictReadsBackTheSame() {
        String stored = StoredResult.encode(JSON, sent);
        assertTrue(stored.contains("\"v\":1"), stored);
        assertEquals(Optional.of(sent), StoredResult.decode(JSON, stored));
    }

    @Test
    void aRecordWrittenBeforeTheFormatHadAVersionStillReads() {
        // What 1c5179b stored: the answer itself, without its key.
        String legacy = "{\"status\":\"REJECTED\",\"app\":\"wx0000000000000001\",\"via\":\"subscribe/send\",\"errcode\":43101,"
                + "\"errmsg\":\"user refuse to accept the msg\",\"attempts\":1,\"reason\":\"the user has not accepted\"}";
        Verdict verdict = StoredResult.decode(JSON, legacy).orElseThrow();
        assertEquals(Status.REJECTED, verdict.status());
        assertEquals(43101, verdict.errcode());
        assertEquals("subscribe/send", verdict.via());
    }

    @Test
    void aRecordThisVersionCannotReadIsEmptyNotAnError() {
        assertEquals(Optional.empty(), StoredResult.decode(JSON, "{\"v\":2,\"status\":\"SENT\"}"));
        assertEquals(Optional.empty(), StoredResult.decode(JSON, "{\"v\":1,\"status\":\"DELIVERED\"}"));
        assertEquals(Optional.empty(), StoredResult.decode(JSON, "not json"));
        assertEquals(Optional.empty(), StoredResult.decode(JSON, "{\"v\":\"one\"}"));
    }

    @Test
    void onlySettledVerdictsAreStored() {
        assertTrue(sent.settled());
        assertTrue(Verdict.of(Status.UNKNOWN, "a", 1, "r").settled());
        assertTrue(new Verdict(Status.REJECTED, "a", null, 43101, null, null, 1, null).settled());
        assertFalse(new Verdict(Status.REJECTED, "a", null, 45009, null, null, 1, null).settled());
        assertFalse(new Verdict(Status.REJECTED, "a", null, 45109, null, null, 1, null).settled());
        assertFalse(new Verdict(Status.REJECTED, "a", null, 40125, null, null, 0, null).settled());
        assertFalse(Verdict.of(Status.FAILED, "a", 3, "r").settled());
    }

    @Test
    void theAnswerCarriesTheVerdictTheKeyAndWhetherItWasReplayed() {
        SendOutcome answer = SendOutcome.of(sent, "key-1", true);
        assertEquals(Status.SENT, answer.status());
        assertEquals(42L, answer.msgid());
        assertEquals(2, answer.attempts());
        assertEquals("key-1", answer.idempotencyKey());
        assertEquals(Boolean.TRUE, answer.replayed());
        assertNull(answer.body());
    }

    @Test
    void theLogLineMasksTheRecipient() {
        SendLine line = SendLine.of("req", SendOutcome.of(sent, "k", true), OPENID, 1_000, 1_250);
        assertEquals("oAbC***z0", line.to());
        assertEquals(250, line.latencyMs());
        assertTrue(line.replayed());
        assertEquals("-", SendLine.of("req", SendOutcome.invalid(List.of()), null, 0, 0).to());
    }

    @Test
    void aBatchIsIncompleteWhileARecipientCanStillBeReached() {
        RecipientResult done = RecipientResult.of(0, OPENID, SendOutcome.of(sent, "k/0", null));
        RecipientResult skipped = RecipientResult.of(1, OPENID, SendOutcome.of(Verdict.of(Status.NOT_ATTEMPTED, "a", 0, "quota"),
                null, null));
        assertEquals("oAbC***z0", done.to());
        BatchOutcome incomplete = BatchOutcome.of(false, "a", "k", List.of(done, skipped));
        assertEquals(BatchOutcome.State.INCOMPLETE, incomplete.status());
        assertEquals(1, incomplete.counts().get(Status.NOT_ATTEMPTED));
        assertEquals(BatchOutcome.State.COMPLETE, BatchOutcome.of(false, "a", "k", List.of(done)).status());
        assertEquals(BatchOutcome.State.DRY_RUN, BatchOutcome.of(true, "a", null, List.of(done)).status());
    }
}
