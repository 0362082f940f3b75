package wxsend.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import wxsend.idempotency.memory.InMemoryIdempotencyStore;
import wxsend.support.MutableClock;

/** The once-only bookkeeping over the memory store, with results as plain strings. */
@Tag("unit")
class OnceOnlyTest {

    private static final Duration CLAIM = Duration.ofSeconds(35);
    private static final Duration KEEP = Duration.ofHours(24);
    private static final OnceOnly.Keeping<String> KEEP_ALL_BUT_RETRY = new OnceOnly.Keeping<>() {
        @Override
        public boolean settled(String result) {
            return !result.equals("RETRY");
        }

        @Override
        public String encode(String result) {
            return "stored:" + result;
        }
    };

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
    private final OnceOnly onceOnly = new OnceOnly(new Idempotency(store, CLAIM, clock), new Unrecorded(10, clock));
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Optional<Instant>> toldUnfinished = new ArrayList<>();

    /** Work that, like a send, passes its claim's gate before it reaches the outside world. */
    private Function<OnceOnly.Holding, Uni<String>> work(String result) {
        return holding -> {
            toldUnfinished.add(holding.unfinishedSince());
            return holding.beforeFirstAttempt().onItem().transform(ignored -> {
                runs.incrementAndGet();
                return result;
            });
        };
    }

    private OnceOnly.Result<String> run(String id, String hash, String result) {
        return onceOnly.run(id, hash, true, work(result), KEEP_ALL_BUT_RETRY, KEEP).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void theWorkRunsOnceAndDuplicatesGetItsStoredResult() {
        assertEquals("SENT", assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "SENT")).value());
        assertEquals("stored:SENT", assertInstanceOf(OnceOnly.Replayed.class, run("k", "h", "SENT")).stored());
        assertEquals(1, runs.get());
        assertEquals(List.of(Optional.empty()), toldUnfinished);
    }

    @Test
    void aResultThatIsNotSettledReleasesTheKey() {
        run("k", "h", "RETRY");
        assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "SENT"));
        assertEquals(2, runs.get());
        assertEquals(List.of(Optional.empty(), Optional.empty()), toldUnfinished, "a release is not an unfinished run");
    }

    @Test
    void aResultIsKeptAsLongAsAskedAndNoLonger() {
        onceOnly.run("k", "h", true, work("SENT"), KEEP_ALL_BUT_RETRY, Duration.ofHours(1)).await().indefinitely();
        clock.advance(Duration.ofMinutes(59));
        assertInstanceOf(OnceOnly.Replayed.class, run("k", "h", "SENT"));
        clock.advance(Duration.ofMinutes(2));
        assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "SENT"));
        assertEquals(2, runs.get());
    }

    @Test
    void anotherPayloadUnderTheSameKeyIsAConflict() {
        run("k", "h", "SENT");
        assertInstanceOf(OnceOnly.Conflict.class, run("k", "other", "SENT"));
        assertEquals(1, runs.get());
    }

    @Test
    void aKeyHeldByAnotherRunIsBusy() {
        store.claim("k", "h", "someone", clock.instant(), clock.instant().plus(CLAIM), clock.instant().plus(KEEP), true);
        assertInstanceOf(OnceOnly.Busy.class, run("k", "h", "SENT"));
        assertEquals(0, runs.get());
    }

    @Test
    void aRunThatNeverFinishedIsToldToTheNextWithItsStart() {
        Instant crashed = clock.instant();
        store.claim("k", "h", "crashed", crashed, crashed.plus(CLAIM), crashed.plus(KEEP), true);
        clock.advance(Duration.ofMinutes(1));

        assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "UNKNOWN"));
        assertEquals(List.of(Optional.of(crashed)), toldUnfinished);
        assertEquals("stored:UNKNOWN", assertInstanceOf(OnceOnly.Replayed.class, run("k", "h", "SENT")).stored());
    }

    /**
     * Issue 24 point 4: the other payload's request may have reached WeChat and only its own retry
     * may settle it, so the key answers Conflict and nothing runs (on 7edf04b this one ran).
     */
    @Test
    void anUnfinishedRunOfAnotherPayloadIsAConflictAndNothingRuns() {
        store.claim("k", "other", "crashed", clock.instant(), clock.instant().plus(CLAIM), clock.instant().plus(KEEP), true);
        clock.advance(Duration.ofMinutes(1));
        assertInstanceOf(OnceOnly.Conflict.class, run("k", "h", "SENT"));
        assertEquals(0, runs.get());
        clock.advance(KEEP);
        assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "SENT"), "past the record's whole life the key is free");
    }

    /** Issue 24 point 3: a claim that never began an attempt is run as new by the retry after its expiry. */
    @Test
    void aRunThatDiedBeforeItsFirstAttemptIsRunAsNew() {
        OnceOnly.Result<String> crashed = onceOnly.run("k", "h", false,
                holding -> Uni.createFrom().<String> failure(new IllegalStateException("died waiting for a token")),
                KEEP_ALL_BUT_RETRY, KEEP).onFailure().recoverWithNull().await().indefinitely();
        assertEquals(null, crashed);
        clock.advance(Duration.ofMinutes(30));

        assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "SENT"));
        assertEquals(List.of(Optional.empty()), toldUnfinished, "not told of an unfinished run: none began");
    }

    /** A run that passed its gate and then died is unfinished for its retry, from the moment it began. */
    @Test
    void aRunThatDiedAfterItsFirstAttemptBeganIsUnfinishedFromThen() {
        clock.advance(Duration.ofSeconds(3));
        Instant began = clock.instant();
        onceOnly.run("k", "h", false, holding -> holding.beforeFirstAttempt()
                .onItem().<String> transformToUni(ignored -> Uni.createFrom().failure(new IllegalStateException("died mid-post"))),
                KEEP_ALL_BUT_RETRY, KEEP)
                .onFailure().recoverWithNull().await().indefinitely();
        clock.advance(Duration.ofMinutes(30));

        run("k", "h", "UNKNOWN");
        assertEquals(List.of(Optional.of(began)), toldUnfinished);
    }

    /**
     * Issue 24 point 3: the work ended unsettled before any attempt (a token refused), and the
     * release failed every time: the retry after the claim's expiry runs the work as new. On
     * 7edf04b the retry was told of an unfinished run, which a send answers UNKNOWN for ever.
     */
    @Test
    void aFailedReleaseOfARunThatNeverBeganLeavesNothingUnknown() {
        AtomicInteger releases = new AtomicInteger();
        IdempotencyStore failingRelease = new IdempotencyStore() {
            @Override
            public Claim claim(String id, String hash, String owner, Instant now, Instant until, Instant keep, boolean attempted) {
                return store.claim(id, hash, owner, now, until, keep, attempted);
            }

            @Override
            public boolean markAttempted(String id, String owner, Instant now) {
                return store.markAttempted(id, owner, now);
            }

            @Override
            public void complete(String id, String owner, String result, Instant expiresAt) {
                store.complete(id, owner, result, expiresAt);
            }

            @Override
            public void release(String id, String owner) {
                releases.incrementAndGet();
                throw new IdempotencyStoreException("idempotency table release failed: throttled", null);
            }
        };
        OnceOnly flaky = new OnceOnly(new Idempotency(failingRelease, CLAIM, clock), new Unrecorded(10, clock));
        flaky.run("k", "h", false, holding -> Uni.createFrom().item("RETRY"), KEEP_ALL_BUT_RETRY, KEEP).await().indefinitely();
        assertEquals(4, releases.get(), "the release is tried again before it is given up");
        clock.advance(CLAIM.plusSeconds(1));

        assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "SENT"));
        assertEquals(List.of(Optional.empty()), toldUnfinished);
        assertEquals(1, runs.get());
    }

    /** The gate writes once however often it is asked, and a claim taken over meanwhile closes it. */
    @Test
    void theGateWritesOnceAndClosesWhenTheClaimWasTakenOver() {
        List<Throwable> seen = new ArrayList<>();
        onceOnly.run("k", "h", false, holding -> {
            clock.advance(CLAIM.plusSeconds(1));
            store.claim("k", "h", "retry", clock.instant(), clock.instant().plus(CLAIM), clock.instant().plus(KEEP), false);
            return holding.beforeFirstAttempt().onFailure().invoke(seen::add)
                    .onFailure().recoverWithNull()
                    .chain(() -> holding.beforeFirstAttempt().onFailure().invoke(seen::add).onFailure().recoverWithNull())
                    .replaceWith("RETRY");
        }, KEEP_ALL_BUT_RETRY, KEEP).await().indefinitely();
        assertEquals(2, seen.size());
        assertInstanceOf(OnceOnly.NotMarked.class, seen.get(0));
        assertTrue(seen.get(0).getMessage().contains("took it over"), seen.get(0).getMessage());
    }

    @Test
    void anUnreachableStoreRunsNothing() {
        OnceOnly down = new OnceOnly(new Idempotency(new wxsend.idempotency.dynamodb.DynamoDbIdempotencyStore(
                wxsend.support.StandIns.dynamoAt(java.net.URI.create("http://127.0.0.1:9")), "t"), CLAIM, clock),
                new Unrecorded(10, clock));
        OnceOnly.Result<String> result = down.run("k", "h", true, work("SENT"), KEEP_ALL_BUT_RETRY, KEEP).await()
                .atMost(Duration.ofSeconds(30));
        assertTrue(assertInstanceOf(OnceOnly.Unavailable.class, result).why().startsWith("idempotency table claim failed"));
        assertEquals(0, runs.get());
    }

    @Test
    void withIdempotencyOffEveryRunRuns() {
        OnceOnly off = new OnceOnly(new Idempotency(null, CLAIM, clock), new Unrecorded(10, clock));
        off.run("k", "h", true, work("SENT"), KEEP_ALL_BUT_RETRY, KEEP).await().indefinitely();
        off.run("k", "h", true, work("SENT"), KEEP_ALL_BUT_RETRY, KEEP).await().indefinitely();
        assertEquals(2, runs.get());
    }
}
