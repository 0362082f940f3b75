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

    private Function<Optional<Instant>, Uni<String>> work(String result) {
        return unfinished -> Uni.createFrom().item(() -> {
            runs.incrementAndGet();
            toldUnfinished.add(unfinished);
            return result;
        });
    }

    private OnceOnly.Result<String> run(String id, String hash, String result) {
        return onceOnly.run(id, hash, work(result), KEEP_ALL_BUT_RETRY, KEEP).await().atMost(Duration.ofSeconds(5));
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
        onceOnly.run("k", "h", work("SENT"), KEEP_ALL_BUT_RETRY, Duration.ofHours(1)).await().indefinitely();
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
        store.claim("k", "h", "someone", clock.instant(), clock.instant().plus(CLAIM), clock.instant().plus(KEEP));
        assertInstanceOf(OnceOnly.Busy.class, run("k", "h", "SENT"));
        assertEquals(0, runs.get());
    }

    @Test
    void aRunThatNeverFinishedIsToldToTheNextWithItsStart() {
        Instant crashed = clock.instant();
        store.claim("k", "h", "crashed", crashed, crashed.plus(CLAIM), crashed.plus(KEEP));
        clock.advance(Duration.ofMinutes(1));

        assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "UNKNOWN"));
        assertEquals(List.of(Optional.of(crashed)), toldUnfinished);
        assertEquals("stored:UNKNOWN", assertInstanceOf(OnceOnly.Replayed.class, run("k", "h", "SENT")).stored());
    }

    @Test
    void anUnfinishedRunOfAnotherPayloadIsNoConcernOfThisOne() {
        store.claim("k", "other", "crashed", clock.instant(), clock.instant().plus(CLAIM), clock.instant().plus(KEEP));
        clock.advance(Duration.ofMinutes(1));
        run("k", "h", "SENT");
        assertEquals(List.of(Optional.empty()), toldUnfinished);
    }

    @Test
    void anUnreachableStoreRunsNothing() {
        OnceOnly down = new OnceOnly(new Idempotency(new wxsend.idempotency.dynamodb.DynamoDbIdempotencyStore(
                wxsend.support.StandIns.dynamoAt(java.net.URI.create("http://127.0.0.1:9")), "t"), CLAIM, clock),
                new Unrecorded(10, clock));
        OnceOnly.Result<String> result = down.run("k", "h", work("SENT"), KEEP_ALL_BUT_RETRY, KEEP).await()
                .atMost(Duration.ofSeconds(30));
        assertTrue(assertInstanceOf(OnceOnly.Unavailable.class, result).why().startsWith("idempotency table claim failed"));
        assertEquals(0, runs.get());
    }

    @Test
    void withIdempotencyOffEveryRunRuns() {
        OnceOnly off = new OnceOnly(new Idempotency(null, CLAIM, clock), new Unrecorded(10, clock));
        off.run("k", "h", work("SENT"), KEEP_ALL_BUT_RETRY, KEEP).await().indefinitely();
        off.run("k", "h", work("SENT"), KEEP_ALL_BUT_RETRY, KEEP).await().indefinitely();
        assertEquals(2, runs.get());
    }
}
