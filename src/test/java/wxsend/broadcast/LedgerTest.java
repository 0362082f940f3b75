package wxsend.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import wxsend.broadcast.Ledger.Mark;

/** A chunk's ledger: windows claimed and settled, a dead delivery's claim, and the counts it yields. */
@Tag("unit")
class LedgerTest {

    private static final Instant NOW = Instant.parse("2026-12-04T06:00:00Z");

    @Test
    void aWindowIsClaimedThenSettledInTheWriteThatClaimsTheNext() {
        Ledger fresh = Ledger.fresh("fp", 5);
        Ledger first = fresh.next(Map.of(), Map.of(), List.of(0, 1), "me", NOW, NOW.plusSeconds(35));
        assertEquals("~~...", first.marks());
        assertEquals(1, first.version());
        assertTrue(first.heldAt(NOW.plusSeconds(34)));
        assertFalse(first.heldAt(NOW.plusSeconds(35)), "a claim stops holding at its expiry");

        Ledger second = first.next(Map.of(0, Mark.SENT, 1, Mark.REJECTED), Map.of(1, 43101), List.of(2, 3), "me", NOW,
                NOW.plusSeconds(35));
        assertEquals("SR~~.", second.marks());
        assertEquals(Map.of(1, 43101), second.errcodes());
        assertEquals(List.of(2, 3), second.indices(Mark.CLAIMED));
        assertFalse(second.complete());

        Ledger last = second.next(Map.of(2, Mark.SENT, 3, Mark.OPEN), Map.of(), List.of(), "me", NOW, NOW);
        assertEquals("SRS..", last.marks(), "a send that failed for a while is open again");
        assertEquals(null, last.owner(), "no claim left, so no holder");
        assertFalse(last.heldAt(NOW));

        Ledger done = last.next(Map.of(3, Mark.UNKNOWN, 4, Mark.REPEAT), Map.of(), List.of(), "me", NOW, NOW);
        assertTrue(done.complete());
        assertEquals(Map.of("SENT", 2L, "REJECTED", 1L, "UNKNOWN", 1L, "REPEAT", 1L), done.counts());
        assertTrue(done.countedNow().counted());
        assertEquals(4, done.version());
    }

    @Test
    void everyMarkReadsBackAsItsCharacter() {
        for (Mark mark : Mark.values()) {
            assertEquals(mark, Mark.of(mark.code()));
        }
    }
}
