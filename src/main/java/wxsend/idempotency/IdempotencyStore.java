package wxsend.idempotency;

import java.time.Instant;

/**
 * Where idempotency records live. Every call is atomic for its key, across every instance that
 * shares the store. Failures are {@link IdempotencyStoreException}.
 */
public interface IdempotencyStore {

    /**
     * Records IN_PROGRESS for {@code id} unless a live record holds it (one whose expiry is still
     * ahead of {@code now}); then that record is returned instead.
     */
    Claim claim(String id, String payloadHash, String owner, Instant now, Instant inProgressUntil);

    /** Stores the result for good, while {@code owner} still holds the record. */
    void complete(String id, String owner, String result, Instant expiresAt);

    /** Removes the record, while {@code owner} still holds it, so that a retry may send. */
    void release(String id, String owner);

    sealed interface Claim permits Claimed, Held {
    }

    record Claimed() implements Claim {
    }

    record Held(IdempotencyRecord record) implements Claim {
    }
}
