package wxsend.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import wxsend.idempotency.memory.InMemoryIdempotencyStore;

/**
 * Where the store's blocking calls run: on the subscribing thread when it may block (Lambda's own
 * polling thread: no hop to a worker and back), never on a Vert.x event loop. Needs the running
 * application, whose Vert.x registers which threads may not block.
 */
@QuarkusTest
class IdempotencyThreadsTest {

    private static final Duration KEEP = Duration.ofHours(1);

    @Inject
    Vertx vertx;

    /** The memory store, noting the thread of each call. */
    private final List<Thread> callers = new CopyOnWriteArrayList<>();
    private final IdempotencyStore store = new IdempotencyStore() {
        private final InMemoryIdempotencyStore memory = new InMemoryIdempotencyStore();

        @Override
        public Claim claim(String id, String payloadHash, String owner, Instant now, Instant inProgressUntil, Instant keepUntil,
                boolean attempted) {
            callers.add(Thread.currentThread());
            return memory.claim(id, payloadHash, owner, now, inProgressUntil, keepUntil, attempted);
        }

        @Override
        public boolean markAttempted(String id, String owner, Instant now) {
            callers.add(Thread.currentThread());
            return memory.markAttempted(id, owner, now);
        }

        @Override
        public void complete(String id, String owner, String result, Instant expiresAt) {
            callers.add(Thread.currentThread());
            memory.complete(id, owner, result, expiresAt);
        }

        @Override
        public void release(String id, String owner) {
            callers.add(Thread.currentThread());
            memory.release(id, owner);
        }
    };
    private final Idempotency idempotency = new Idempotency(store, Duration.ofSeconds(35), Clock.systemUTC());

    @Test
    void aThreadThatMayBlockMakesTheStoreCallsItself() {
        Idempotency.Begin begin = idempotency.begin("threads-1", "hash", KEEP, true).await().atMost(Duration.ofSeconds(5));
        Idempotency.Proceed proceed = assertInstanceOf(Idempotency.Proceed.class, begin);
        idempotency.complete(proceed.ticket(), "done", KEEP).await().atMost(Duration.ofSeconds(5));
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), callers);
    }

    @Test
    void anEventLoopHandsTheStoreCallsToTheWorkerPool() throws Exception {
        CompletableFuture<Thread> loop = new CompletableFuture<>();
        CompletableFuture<Idempotency.Begin> answered = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> {
            loop.complete(Thread.currentThread());
            // Built on this thread, subscribed on it too.
            idempotency.begin("threads-2", "hash", KEEP, true).subscribe().with(answered::complete, answered::completeExceptionally);
        });
        assertInstanceOf(Idempotency.Proceed.class, answered.get(5, TimeUnit.SECONDS));
        assertEquals(1, callers.size());
        assertNotEquals(loop.get(), callers.get(0));
        assertFalse(callers.get(0).getName().contains("eventloop"), callers.get(0).getName());
    }

    @Test
    void aUniBuiltOnAThreadThatMayBlockButSubscribedOnAnEventLoopStillLeavesTheLoop() throws Exception {
        var built = idempotency.begin("threads-3", "hash", KEEP, true);
        CompletableFuture<Thread> loop = new CompletableFuture<>();
        CompletableFuture<Idempotency.Begin> answered = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> {
            loop.complete(Thread.currentThread());
            built.subscribe().with(answered::complete, answered::completeExceptionally);
        });
        assertInstanceOf(Idempotency.Proceed.class, answered.get(5, TimeUnit.SECONDS));
        assertEquals(1, callers.size());
        assertNotEquals(loop.get(), callers.get(0));
    }
}
