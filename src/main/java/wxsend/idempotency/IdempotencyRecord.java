package wxsend.idempotency;

import java.time.Instant;

/**
 * One key's state. An IN_PROGRESS record whose holder died stops counting at {@code expiresAt};
 * a COMPLETED one is replayed until then. {@code claimedAt} is when the key was claimed for the
 * send now recorded (null in records written before it was kept); once {@code attempted}, when its
 * attempts may have begun, which a takeover keeps, so WeChat's repeat window is counted from the first.
 * {@code attempted} is false while the holder has not yet begun anything that can reach the outside
 * world: a takeover of such a claim runs the work as new. Records written before it was kept say
 * true, the safe side.
 */
public record IdempotencyRecord(String id, State state, String payloadHash, String result, Instant expiresAt,
        Instant claimedAt, boolean attempted) {

    public enum State {
        IN_PROGRESS,
        COMPLETED
    }
}
