package wxsend.idempotency;

import java.time.Instant;

/**
 * One key's state. An IN_PROGRESS record whose holder died stops counting at {@code expiresAt};
 * a COMPLETED one is replayed until then.
 */
public record IdempotencyRecord(String id, State state, String payloadHash, String result, Instant expiresAt) {

    public enum State {
        IN_PROGRESS,
        COMPLETED
    }
}
