package wxsend.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import wxsend.idempotency.IdempotencyRecord.State;

/** What every idempotency store promises, checked against each real store. */
abstract class IdempotencyStoreContract {

    static final Duration CLAIM = Duration.ofSeconds(35);
    static final Duration KEEP = Duration.ofHours(24);
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    final String id = "wx0000000000000001#" + UUID.randomUUID();

    abstract IdempotencyStore store();

    private IdempotencyStore.Claim claim(String owner, Instant at) {
        return store().claim(id, "hash", owner, at, at.plus(CLAIM), at.plus(KEEP), true);
    }

    private IdempotencyRecord held(IdempotencyStore.Claim claim) {
        return assertInstanceOf(IdempotencyStore.Held.class, claim).record();
    }

    @Test
    void theFirstClaimWins() {
        assertInstanceOf(IdempotencyStore.Claimed.class, claim("a", now));
        IdempotencyRecord record = held(store().claim(id, "other", "b", now, now.plus(CLAIM), now.plus(KEEP), true));
        assertEquals(State.IN_PROGRESS, record.state());
        assertEquals("hash", record.payloadHash());
        assertEquals(now.plus(CLAIM), record.expiresAt());
        assertEquals(now, record.claimedAt());
    }

    @Test
    void aCompletedRecordHoldsItsResultUntilItExpires() {
        claim("a", now);
        store().complete(id, "a", "RESULT", now.plus(Duration.ofHours(24)));
        IdempotencyRecord record = held(claim("b", now.plusSeconds(60)));
        assertEquals(State.COMPLETED, record.state());
        assertEquals("RESULT", record.result());
        assertEquals(now.plus(Duration.ofHours(24)), record.expiresAt());
        assertInstanceOf(IdempotencyStore.Claimed.class, claim("c", now.plus(Duration.ofHours(24)).plusMillis(1)));
    }

    @Test
    void aClaimWhoseHolderDiedIsTakenOverAfterItExpiresAndSaysSo() {
        claim("a", now);
        held(claim("b", now.plus(CLAIM).minusMillis(1)));
        IdempotencyRecord unfinished = assertInstanceOf(IdempotencyStore.TakenOver.class,
                claim("b", now.plus(CLAIM).plusMillis(1))).unfinished();
        assertEquals(State.IN_PROGRESS, unfinished.state());
        assertEquals(now, unfinished.claimedAt());
        assertEquals("hash", unfinished.payloadHash());
    }

    @Test
    void anUnfinishedClaimIsRememberedLongAfterItExpired() {
        claim("a", now);
        assertInstanceOf(IdempotencyStore.TakenOver.class, claim("b", now.plus(Duration.ofHours(6))));
    }

    @Test
    void aCompletedRecordPastItsExpiryIsAFreshClaim() {
        claim("a", now);
        store().complete(id, "a", "RESULT", now.plusSeconds(60));
        assertInstanceOf(IdempotencyStore.Claimed.class, claim("b", now.plusSeconds(61)));
    }

    @Test
    void onlyTheHolderCompletes() {
        claim("a", now);
        claim("b", now.plus(CLAIM).plusMillis(1));
        store().complete(id, "a", "LATE", now.plus(Duration.ofHours(1)));
        assertEquals(State.IN_PROGRESS, held(claim("c", now.plus(CLAIM).plusMillis(2))).state());
    }

    @Test
    void aReleasedKeyCanBeClaimedAgain() {
        claim("a", now);
        store().release(id, "a");
        assertInstanceOf(IdempotencyStore.Claimed.class, claim("b", now));
    }

    @Test
    void onlyTheHolderReleases() {
        claim("a", now);
        store().release(id, "b");
        held(claim("c", now));
    }

    @Test
    void aTakeoverKeepsWhenTheFirstHolderBeganAndThatItDid() {
        store().claim(id, "hash", "a", now, now.plus(CLAIM), now.plus(KEEP), false);
        Instant began = now.plusSeconds(2);
        assertEquals(true, store().markAttempted(id, "a", began));
        IdempotencyRecord first = assertInstanceOf(IdempotencyStore.TakenOver.class,
                claim("b", now.plus(CLAIM).plusSeconds(1))).unfinished();
        assertEquals(began, first.claimedAt());
        assertEquals(true, first.attempted());
        // A takeover of the takeover still counts from the first holder's start, which WeChat's repeat window does too.
        IdempotencyRecord second = assertInstanceOf(IdempotencyStore.TakenOver.class,
                claim("c", now.plus(CLAIM.multipliedBy(3)))).unfinished();
        assertEquals(began, second.claimedAt());
        assertEquals(true, second.attempted());
    }

    @Test
    void aClaimThatNeverBeganSaysSoToItsTakeover() {
        store().claim(id, "hash", "a", now, now.plus(CLAIM), now.plus(KEEP), false);
        IdempotencyRecord unfinished = assertInstanceOf(IdempotencyStore.TakenOver.class,
                claim("b", now.plus(CLAIM).plusSeconds(1))).unfinished();
        assertEquals(false, unfinished.attempted());
        assertEquals(true, claimAndSee("c").attempted(), "a claim written as begun says so");
    }

    private IdempotencyRecord claimAndSee(String owner) {
        String other = id + "-" + owner;
        store().claim(other, "hash", owner, now, now.plus(CLAIM), now.plus(KEEP), true);
        return held(store().claim(other, "hash", "x", now, now.plus(CLAIM), now.plus(KEEP), true));
    }

    @Test
    void onlyTheHolderMarksItsClaimBegun() {
        store().claim(id, "hash", "a", now, now.plus(CLAIM), now.plus(KEEP), false);
        assertEquals(false, store().markAttempted(id, "b", now));
        claim("b", now.plus(CLAIM).plusMillis(1));
        assertEquals(false, store().markAttempted(id, "a", now.plus(CLAIM).plusMillis(2)), "taken over: a must not post");
        assertEquals(false, held(claim("c", now.plus(CLAIM).plusMillis(3))).attempted());
    }

    /** A holder past its claim's expiry may be being taken over: it must not begin (review of issue 24). */
    @Test
    void aHolderWhoseClaimExpiredCannotMarkItBegun() {
        store().claim(id, "hash", "a", now, now.plus(CLAIM), now.plus(KEEP), false);
        assertEquals(false, store().markAttempted(id, "a", now.plus(CLAIM).plusMillis(1)));
        assertEquals(false, assertInstanceOf(IdempotencyStore.TakenOver.class, claim("b", now.plus(CLAIM).plusMillis(2)))
                .unfinished().attempted());
    }

    @Test
    void anExpiredClaimOfAnotherPayloadIsHeldUntilItsRecordsLifeEnds() {
        claim("a", now);
        IdempotencyRecord record = held(store().claim(id, "other", "b", now.plus(CLAIM).plusSeconds(1),
                now.plus(CLAIM).plusSeconds(36), now.plus(KEEP), true));
        assertEquals(State.IN_PROGRESS, record.state());
        assertEquals("hash", record.payloadHash());
        assertInstanceOf(IdempotencyStore.Claimed.class, store().claim(id, "other", "b", now.plus(KEEP).plusSeconds(2),
                now.plus(KEEP).plusSeconds(40), now.plus(KEEP).plus(KEEP), true));
    }
}
