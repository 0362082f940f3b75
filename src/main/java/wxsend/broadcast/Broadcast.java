package wxsend.broadcast;

import java.time.Instant;
import java.util.Map;

/**
 * One broadcast as its record holds it: the shared message (the request without its recipients,
 * as JSON), how many recipients it has, what became of them so far, and whether it was
 * cancelled or is paused.
 *
 * @param payloadHash the submitted request's hash: the same key with other content is refused
 * @param total the recipients planned into chunks; 0 until planning ends
 * @param counts final statuses so far, by status name (SENT, REJECTED, UNKNOWN, CANCELLED)
 * @param pausedUntil null unless WeChat's daily quota ran out: chunks wait until then
 */
public record Broadcast(String id, String app, String payloadHash, String message, long total, Map<String, Long> counts,
        boolean cancelled, Instant pausedUntil, Instant createdAt) {

    /** How far a broadcast has come, as GET /broadcasts/{id} reports it. */
    public enum State {
        PLANNING,
        SENDING,
        PAUSED,
        DONE,
        CANCELLED
    }

    public long settled() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public State stateAt(Instant now) {
        if (cancelled) {
            return State.CANCELLED;
        }
        if (total > 0 && settled() >= total) {
            return State.DONE;
        }
        if (pausedUntil != null && pausedUntil.isAfter(now)) {
            return State.PAUSED;
        }
        return total == 0 ? State.PLANNING : State.SENDING;
    }
}
