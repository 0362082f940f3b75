package wxsend.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;

/**
 * The store calls of the once-only bookkeeping, which block: made by the calling thread, or on the
 * worker pool when that thread is a Vert.x event loop. The first arrival
 * claims the key (IN_PROGRESS, expiring so that a holder that died does not block the key for
 * ever); when it ends, its result is kept and replayed to every duplicate, or the claim is
 * released so that a retry may try again.
 */
public class Idempotency {

    public sealed interface Begin permits Proceed, Replay, InProgress, Mismatch {
    }

    /**
     * The caller holds the key and must end with {@link #complete} or {@link #release}.
     *
     * @param unfinishedSince when the same request was claimed before by a holder that never
     *        finished and may have begun its attempts (it crashed or timed out mid-send); empty for
     *        a fresh claim, and for one whose earlier holder never began any
     * @param attempted whether the record already says attempts may have begun; if not, the caller
     *        calls {@link #markAttempted} before its first
     */
    public record Proceed(Ticket ticket, Optional<Instant> unfinishedSince, boolean attempted) implements Begin {
    }

    /** A duplicate of a completed request: its stored result. */
    public record Replay(String result) implements Begin {
    }

    /** Another invocation holds the key right now. */
    public record InProgress() implements Begin {
    }

    /**
     * The key was first used with a different payload: settled, or begun and never finished (that
     * request may have reached WeChat, and only its own retry may settle it).
     */
    public record Mismatch() implements Begin {
    }

    public record Ticket(String id, String owner) {
    }

    private final IdempotencyStore store;
    private final Duration inProgressExpiry;
    private final Clock clock;

    /** @param store null when idempotency is switched off */
    public Idempotency(IdempotencyStore store, Duration inProgressExpiry, Clock clock) {
        this.store = store;
        this.inProgressExpiry = inProgressExpiry;
        this.clock = clock;
    }

    /**
     * Fails with {@link IdempotencyStoreException}.
     *
     * @param keepFor how long the record is kept: a settled result's life, and an unfinished claim's memory
     * @param attemptsAtOnce the caller's work reaches the outside world straight away, with nothing
     *        before it that can fail or stall; otherwise the claim says no attempt has begun until
     *        {@link #markAttempted}, so that a retry after a failure before then runs the work as new
     */
    public Uni<Begin> begin(String id, String payloadHash, Duration keepFor, boolean attemptsAtOnce) {
        if (store == null) {
            return Uni.createFrom().item(new Proceed(new Ticket(id, ""), Optional.empty(), true));
        }
        String owner = UUID.randomUUID().toString();
        return blocking(() -> {
            Instant now = clock.instant();
            IdempotencyStore.Claim claim = store.claim(id, payloadHash, owner, now, now.plus(inProgressExpiry), now.plus(keepFor),
                    attemptsAtOnce);
            if (claim instanceof IdempotencyStore.Held held) {
                IdempotencyRecord record = held.record();
                if (record.state() == IdempotencyRecord.State.IN_PROGRESS && !record.expiresAt().isBefore(now)) {
                    // Whatever it carries, it is busy: the payload is compared once it has a result.
                    return new InProgress();
                }
                // Settled, or unfinished for good under another payload (the store takes over only the same one).
                return record.state() == IdempotencyRecord.State.COMPLETED && record.payloadHash().equals(payloadHash)
                        ? new Replay(record.result())
                        : new Mismatch();
            }
            if (claim instanceof IdempotencyStore.TakenOver over) {
                // The same request, begun and never ended. If its holder never began an attempt, the
                // work runs as new. Records from before claimedAt was kept count from their expiry
                // less the claim's lifetime.
                IdempotencyRecord earlier = over.unfinished();
                if (!earlier.attempted()) {
                    return new Proceed(new Ticket(id, owner), Optional.empty(), false);
                }
                return new Proceed(new Ticket(id, owner), Optional.of(earlier.claimedAt() != null ? earlier.claimedAt()
                        : earlier.expiresAt().minus(inProgressExpiry)), true);
            }
            return new Proceed(new Ticket(id, owner), Optional.empty(), attemptsAtOnce);
        });
    }

    /** Fails with {@link IdempotencyStoreException}; false when the key is no longer the ticket's. */
    public Uni<Boolean> markAttempted(Ticket ticket) {
        if (store == null) {
            return Uni.createFrom().item(true);
        }
        return blocking(() -> store.markAttempted(ticket.id(), ticket.owner(), clock.instant()));
    }

    public Uni<Void> complete(Ticket ticket, String result, Duration keepFor) {
        if (store == null) {
            return Uni.createFrom().voidItem();
        }
        return blocking(() -> {
            store.complete(ticket.id(), ticket.owner(), result, clock.instant().plus(keepFor));
            return null;
        }).replaceWithVoid();
    }

    public Uni<Void> release(Ticket ticket) {
        if (store == null) {
            return Uni.createFrom().voidItem();
        }
        return blocking(() -> {
            store.release(ticket.id(), ticket.owner());
            return null;
        }).replaceWithVoid();
    }

    /**
     * On the worker pool only when the caller is a Vert.x event loop, which must never block. On
     * Lambda the claim is made by the runtime's own polling thread, which may block: one hop to a
     * worker and back less on every send's path (BENCHMARKS.md measured no CPU saved by it).
     */
    private static <T> Uni<T> blocking(java.util.function.Supplier<T> call) {
        // Decided when subscribed, on the subscribing thread: a Uni may be built on one thread and run on another.
        return Uni.createFrom().deferred(() -> {
            Uni<T> uni = Uni.createFrom().item(call);
            return Context.isOnEventLoopThread() ? uni.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : uni;
        });
    }
}
