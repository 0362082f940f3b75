package wxsend.idempotency;

import java.time.Instant;

/**
 * Where idempotency records live. Every call is atomic for its key, across every instance that
 * shares the store. Failures are {@link IdempotencyStoreException}.
 */
public interface IdempotencyStore {

    /**
     * Records IN_PROGRESS for {@code id}, claimed at {@code now}, unless a live record holds it
     * (one whose expiry is still ahead of {@code now}); then that record is returned instead. When
     * the claim takes over an expired IN_PROGRESS record of the same payload, that record is
     * returned with the claim: its holder stopped mid-send, and the caller must decide what that
     * means. A takeover keeps the record's {@code claimedAt} and {@code attempted}: what the first
     * holder may have done stays known. An expired IN_PROGRESS record of another payload is not
     * taken over (it is returned as held): its request may have reached WeChat, and only its own
     * retry may settle it; it is claimable by anyone once the record's whole life has passed.
     *
     * @param attempted whether the holder may reach the outside world without first calling
     *        {@link #markAttempted} (it has nothing left to do that can fail slowly before it posts)
     * @param inProgressUntil when the claim stops blocking others, should its holder die
     * @param keepUntil how long the record itself is kept, even once the claim has expired, so
     *        that a retry long after a crash still finds the unfinished send
     */
    Claim claim(String id, String payloadHash, String owner, Instant now, Instant inProgressUntil, Instant keepUntil,
            boolean attempted);

    /**
     * Records, while {@code owner} holds the key and its claim has not expired, that its attempts
     * may begin now. False otherwise (its claim expired, and may be taken over): it must not post.
     */
    boolean markAttempted(String id, String owner, Instant now);

    /** Stores the result for good, while {@code owner} still holds the record. */
    void complete(String id, String owner, String result, Instant expiresAt);

    /** Removes the record, while {@code owner} still holds it, so that a retry may send. */
    void release(String id, String owner);

    sealed interface Claim permits Claimed, TakenOver, Held {
    }

    /** The key was free (new, released, or its record expired after completing). */
    record Claimed() implements Claim {
    }

    /** The key was held IN_PROGRESS by a holder whose claim expired: this is its record. */
    record TakenOver(IdempotencyRecord unfinished) implements Claim {
    }

    record Held(IdempotencyRecord record) implements Claim {
    }
}
