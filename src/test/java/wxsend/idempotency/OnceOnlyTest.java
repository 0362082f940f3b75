package wxsend.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import wxsend.idempotency.memory.InMemoryIdempotencyStore;
import wxsend.support.MutableClock;

/** The once-only bookkeeping over the memory store, with results as plain strings. */
@Tag("unit")
class OnceOnlyTest {

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
    private final OnceOnly onceOnly = new OnceOnly(new Idempotency(store, Duration.ofSeconds(35), Duration.ofHours(24), clock),
            new Unrecorded(10, Duration.ofHours(24), clock));
    private final AtomicInteger runs = new AtomicInteger();

    private Supplier<Uni<String>> work(String result) {
        return () -> Uni.createFrom().item(() -> {
            runs.incrementAndGet();
            return result;
        });
    }

    private OnceOnly.Result<String> run(String id, String hash, String result) {
        return onceOnly.run(id, hash, work(result), KEEP_ALL_BUT_RETRY).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void theWorkRunsOnceAndDuplicatesGetItsStoredResult() {
        assertEquals("SENT", assertInstanceOf(OnceOnly.Ran.class, run("k", "h", "SENT")).value());
        assertEquals("stored:SENT", assertInstanceOf(OnceOnly.Replayed.class, run("k", "h", "SENT")).stored());
        assertEquals(1, runs.get());
    }

    @Test
    void aResultThatIsNotSettledReleasesTheKey() {
        run("k", "h", "RETRY");
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
        store.claim("k", "h", "someone", clock.instant(), clock.instant().plusSeconds(35));
        assertInstanceOf(OnceOnly.Busy.class, run("k", "h", "SENT"));
        assertEquals(0, runs.get());
    }

    @Test
    void anUnreachableStoreRunsNothing() {
        OnceOnly down = new OnceOnly(new Idempotency(new wxsend.idempotency.dynamodb.DynamoDbIdempotencyStore(
                wxsend.support.StandIns.dynamoAt(java.net.URI.create("http://127.0.0.1:9")), "t"), Duration.ofSeconds(35),
                Duration.ofHours(24), clock), new Unrecorded(10, Duration.ofHours(24), clock));
        OnceOnly.Result<String> result = down.run("k", "h", work("SENT"), KEEP_ALL_BUT_RETRY).await().atMost(Duration.ofSeconds(30));
        assertInstanceOf(OnceOnly.Unavailable.class, result);
        assertEquals(0, runs.get());
    }

    @Test
    void withIdempotencyOffEveryRunRuns() {
        OnceOnly off = new OnceOnly(new Idempotency(null, Duration.ofSeconds(35), Duration.ofHours(24), clock),
                new Unrecorded(10, Duration.ofHours(24), clock));
        off.run("k", "h", work("SENT"), KEEP_ALL_BUT_RETRY).await().indefinitely();
        off.run("k", "h", work("SENT"), KEEP_ALL_BUT_RETRY).await().indefinitely();
        assertEquals(2, runs.get());
    }
}
