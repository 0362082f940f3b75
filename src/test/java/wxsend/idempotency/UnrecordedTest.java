package wxsend.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import wxsend.support.MutableClock;

/** Results the store could not take: answered like a record, bounded, and gone when the TTL ends. */
@Tag("unit")
class UnrecordedTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
    private final Unrecorded unrecorded = new Unrecorded(3, clock);

    @Test
    void aRememberedResultIsReplayedForTheSamePayloadOnly() {
        unrecorded.remember("k", "h", "R", Duration.ofHours(24));
        assertEquals("R", assertInstanceOf(OnceOnly.Replayed.class, unrecorded.answer("k", "h")).stored());
        assertInstanceOf(OnceOnly.Conflict.class, unrecorded.answer("k", "other"));
        assertNull(unrecorded.answer("unknown", "h"));
    }

    @Test
    void itIsForgottenWhenTheRecordWouldHaveExpired() {
        unrecorded.remember("k", "h", "R", Duration.ofHours(24));
        clock.advance(Duration.ofHours(24).minusMillis(1));
        assertInstanceOf(OnceOnly.Replayed.class, unrecorded.answer("k", "h"));
        clock.advance(Duration.ofMillis(1));
        assertNull(unrecorded.answer("k", "h"));
        assertEquals(0, unrecorded.size());
    }

    @Test
    void whenFullOnlyTheOldestGoes() {
        for (int i = 0; i < 4; i++) {
            unrecorded.remember("k" + i, "h", "R" + i, Duration.ofHours(24));
        }
        assertEquals(3, unrecorded.size());
        assertNull(unrecorded.answer("k0", "h"));
        assertInstanceOf(OnceOnly.Replayed.class, unrecorded.answer("k1", "h"));
        assertInstanceOf(OnceOnly.Replayed.class, unrecorded.answer("k3", "h"));
    }

    @Test
    void keysInLogsAreCut() {
        // Four characters, no more than an openid's mask shows: a caller's key may be an openid.
        assertEquals("key wx0000000000000001#orde…", Unrecorded.masked("wx0000000000000001#order-12345"));
        assertEquals("key wx0000000000000001#k-42", Unrecorded.masked("wx0000000000000001#k-42"));
    }
}
