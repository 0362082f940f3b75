package wxsend.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import wxsend.token.memory.InMemoryTokenStore;

/**
 * The token provider's waits end by the send's deadline, and a store failure never leaves the
 * refresh lease held. The store is the real memory store; where a failure is needed, a wrapper
 * at the store's port fails the one call named.
 */
@Tag("unit")
class TokenProviderTest {

    private static final String APP = "wx0000000000000001";
    private static final Duration LEASE = Duration.ofSeconds(10);

    private final InMemoryTokenStore memory = new InMemoryTokenStore();
    private final FailingStore store = new FailingStore(memory);
    private final AtomicInteger fetches = new AtomicInteger();
    private final CountDownLatch fetchMayEnd = new CountDownLatch(1);
    private volatile boolean fetchWaits;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    private final TokenProvider tokens = new TokenProvider(store, new TokenFetcher() {
        @Override
        public AccessToken fetch(String appid, boolean force) {
            fetches.incrementAndGet();
            if (fetchWaits) {
                try {
                    fetchMayEnd.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new AccessToken("FETCHED", Instant.now().plusSeconds(7200));
        }

        @Override
        public boolean routineFetchIsHarmless() {
            return true;
        }
    }, new TokenSettings(Duration.ofMinutes(5), LEASE, 20, Duration.ofSeconds(30)), Clock.systemUTC());

    @AfterEach
    void stop() {
        fetchMayEnd.countDown();
        pool.shutdownNow();
    }

    private static long inMillis(long millis) {
        return System.currentTimeMillis() + millis;
    }

    @Test
    void waitingForAnotherInstancesRefreshEndsByTheDeadline() {
        Instant now = Instant.now();
        memory.tryLease(APP, "another-instance", now, now.plus(LEASE));

        long started = System.nanoTime();
        TokenUnavailableException e = assertThrows(TokenUnavailableException.class,
                () -> tokens.current(APP, inMillis(300)).await().atMost(Duration.ofSeconds(30)));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(e.isTransient());
        // Without the deadline the wait is twice the lease, 20 s: the bound is far from both.
        assertTrue(tookMillis < LEASE.toMillis(), "waited " + tookMillis + " ms");
        assertEquals(0, fetches.get());
    }

    @Test
    void waitingForThisInstancesOwnRefreshEndsByTheDeadline() throws Exception {
        fetchWaits = true;
        pool.submit(() -> tokens.current(APP).await().indefinitely());
        while (fetches.get() == 0) {
            Thread.sleep(5);
        }

        long started = System.nanoTime();
        assertThrows(TokenUnavailableException.class, () -> tokens.current(APP, inMillis(300)).await().atMost(Duration.ofSeconds(30)));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(tookMillis < LEASE.toMillis(), "waited " + tookMillis + " ms behind the other send");
        fetchMayEnd.countDown();
    }

    @Test
    void aStoreFailureAfterWinningTheLeaseReleasesIt() {
        store.failReadsAfterLease = true;

        assertEquals("FETCHED", tokens.current(APP).await().atMost(Duration.ofSeconds(10)).value());

        Instant now = Instant.now();
        assertTrue(memory.tryLease(APP, "next-instance", now, now.plus(LEASE)), "the lease was left held");
    }

    @Test
    void aStoreFailureWhileSavingReleasesTheLease() {
        store.failSaves = true;

        assertEquals("FETCHED", tokens.current(APP).await().atMost(Duration.ofSeconds(10)).value());

        Instant now = Instant.now();
        assertTrue(memory.tryLease(APP, "next-instance", now, now.plus(LEASE)), "the lease was left held");
    }

    /** The memory store, failing the calls a test names. */
    private static final class FailingStore implements TokenStore {

        private final TokenStore store;
        volatile boolean failReadsAfterLease;
        volatile boolean failSaves;
        private volatile boolean leased;

        FailingStore(TokenStore store) {
            this.store = store;
        }

        @Override
        public Optional<AccessToken> read(String appid) {
            if (failReadsAfterLease && leased) {
                throw new TokenStoreException("token table read failed: test", null);
            }
            return store.read(appid);
        }

        @Override
        public boolean saveIfNewer(String appid, AccessToken token) {
            if (failSaves) {
                throw new TokenStoreException("token table write failed: test", null);
            }
            return store.saveIfNewer(appid, token);
        }

        @Override
        public void expireIfCurrent(String appid, String tokenValue) {
            store.expireIfCurrent(appid, tokenValue);
        }

        @Override
        public boolean tryLease(String appid, String owner, Instant now, Instant until) {
            boolean won = store.tryLease(appid, owner, now, until);
            leased |= won;
            return won;
        }

        @Override
        public void releaseLease(String appid, String owner) {
            store.releaseLease(appid, owner);
        }

        @Override
        public boolean tryForce(String appid, String day, Instant now, int cap, java.time.Duration spacing) {
            return store.tryForce(appid, day, now, cap, spacing);
        }
    }
}
