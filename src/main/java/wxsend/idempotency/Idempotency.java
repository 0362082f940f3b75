package wxsend.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Lets a request through once per key. The first arrival claims the key (IN_PROGRESS, expiring
 * so that a holder that died does not block the key for ever); when it ends, its result is kept
 * for the TTL and replayed to every duplicate, or the claim is released so that a retry may try
 * again. Store calls block, so they run on the worker pool.
 */
public class Idempotency {

    public sealed interface Begin permits Proceed, Replay, InProgress, Mismatch {
    }

    /** The caller holds the key and must end with {@link #complete} or {@link #release}. */
    public record Proceed(Ticket ticket) implements Begin {
    }

    /** A duplicate of a completed request: its stored result. */
    public record Replay(String result) implements Begin {
    }

    /** Another invocation holds the key right now. */
    public record InProgress() implements Begin {
    }

    /** The key was first used with a different payload. */
    public record Mismatch() implements Begin {
    }

    public record Ticket(String id, String owner) {
    }

    private final IdempotencyStore store;
    private final Duration inProgressExpiry;
    private final Duration ttl;
    private final Clock clock;

    /** @param store null when idempotency is switched off */
    public Idempotency(IdempotencyStore store, Duration inProgressExpiry, Duration ttl, Clock clock) {
        this.store = store;
        this.inProgressExpiry = inProgressExpiry;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Fails with {@link IdempotencyStoreException}. */
    public Uni<Begin> begin(String id, String payloadHash) {
        if (store == null) {
            return Uni.createFrom().item(new Proceed(new Ticket(id, "")));
        }
        String owner = UUID.randomUUID().toString();
        return blocking(() -> {
            var now = clock.instant();
            IdempotencyStore.Claim claim = store.claim(id, payloadHash, owner, now, now.plus(inProgressExpiry));
            if (claim instanceof IdempotencyStore.Held held) {
                IdempotencyRecord record = held.record();
                if (record.state() == IdempotencyRecord.State.IN_PROGRESS) {
                    // Whatever it carries, it is busy: the payload is compared once it has a result.
                    return new InProgress();
                }
                return record.payloadHash().equals(payloadHash) ? new Replay(record.result()) : new Mismatch();
            }
            return new Proceed(new Ticket(id, owner));
        });
    }

    public Uni<Void> complete(Ticket ticket, String result) {
        if (store == null) {
            return Uni.createFrom().voidItem();
        }
        return blocking(() -> {
            store.complete(ticket.id(), ticket.owner(), result, clock.instant().plus(ttl));
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

    private static <T> Uni<T> blocking(java.util.function.Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
