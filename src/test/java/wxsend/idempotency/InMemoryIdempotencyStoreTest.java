package wxsend.idempotency;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import wxsend.idempotency.memory.InMemoryIdempotencyStore;

@Tag("unit")
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

    @Override
    IdempotencyStore store() {
        return store;
    }

    /**
     * A long-running server (the HTTP surface) meets keys without end: a million distinct keys,
     * one a second, each kept an hour, leave about an hour's worth in memory. The heap figure is
     * reported, not asserted; the bound on what is held is.
     */
    @Test
    void aMillionDistinctKeysStayBoundedBecauseEntriesExpire() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        InMemoryIdempotencyStore longRunning = new InMemoryIdempotencyStore();
        Duration keep = Duration.ofHours(1);
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        int peak = 0;
        for (int i = 0; i < 1_000_000; i++) {
            String id = "wx0000000000000001#key-" + i;
            longRunning.claim(id, "h", "o", now, now.plusSeconds(35), now.plus(keep), true);
            longRunning.complete(id, "o", "{\"v\":1,\"status\":\"SENT\"}", now.plus(keep));
            peak = Math.max(peak, longRunning.size());
            now = now.plusSeconds(1);
        }
        System.gc();
        long heldKb = (runtime.totalMemory() - runtime.freeMemory() - before) / 1024;
        System.out.printf("InMemoryIdempotencyStore: 1,000,000 keys over 11.6 days of clock, peak %d records held, "
                + "now %d; heap grown by %d KB after GC (the store, still reachable)%n", peak, longRunning.size(), heldKb);
        assertTrue(peak <= 3_601 + 1, "held at most an hour's keys, not " + peak);
    }
}
