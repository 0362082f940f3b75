package wxsend.idempotency;

import java.time.Instant;

/**
 * One key's state. An IN_PROGRESS record whose holder died stops counting at {@code expiresAt};
 * a COMPLETED one is replayed until then. {@code claimedAt} is when the key was claimed for the
 * send now recorded (null in records written before it was kept).
 */
public record IdempotencyRecord(String id, State state, String payloadHash, String result, Instant expiresAt,
        Instant claimedAt) {

    public enum State {
        IN_PROGRESS,
        COMPLETED
    }
}
