package wxsend.broadcast;

import java.time.Instant;
import java.util.Map;

import wxsend.send.outcome.Masking;

/**
 * One broadcast as its record holds it: the shared message (the request without its recipients,
 * as JSON), where its recipients come from, how many there are, what became of them so far, and
 * whether it was cancelled or is paused.
 *
 * @param payloadHash the submitted request's hash: the same key with other content is refused
 * @param source {@code s3://bucket/key} for recipients read from S3; null for inline ones
 * @param total the recipients planned, good lines and bad; 0 until planning ends
 * @param counts final statuses so far, by status name (SENT, REJECTED, UNKNOWN, INVALID, CANCELLED, REPEAT)
 * @param pausedUntil null unless WeChat's daily quota ran out: chunks wait until then
 * @param planned how far planning has read the source (zero for inline recipients)
 * @param keepUntil when the table may drop the record; null for one not yet recorded
 */
public record Broadcast(String id, String app, String payloadHash, String message, String source, long total,
        Map<String, Long> counts, boolean cancelled, Instant pausedUntil, Instant createdAt, Checkpoint planned,
        Instant keepUntil) {

    /**
     * How far planning has read: the byte offset of the next line, lines read (for line numbers),
     * chunks queued, and recipients planned (queued or counted INVALID); and where the plan step
     * it belongs to began ({@code stepOffset}, {@code stepLines}), because repeats are found
     * within a step: a step resumed from the middle reads its beginning again to know them.
     */
    public record Checkpoint(long offset, long lines, int chunks, long recipients, long stepOffset, long stepLines) {

        public static final Checkpoint START = new Checkpoint(0, 0, 0, 0, 0, 0);

        /** Whether this checkpoint is where a step begins, not the middle of one. */
        public boolean stepStart() {
            return offset == stepOffset;
        }
    }

    /**
     * A broadcast id a queue message names, fit for a log line: wxsend's own ({@code bc-} and hex)
     * whole, and anything else (a message put on the queue by hand) as a caller's key is shown,
     * since it may be any value, an openid even.
     */
    static String named(String id) {
        return id == null || id.matches("bc-[0-9a-f]{1,64}") ? id : Masking.name(id);
    }

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

    /** Every recipient has a final status: the truth that DONE and a refused cancel both read. */
    public boolean done() {
        return total > 0 && settled() >= total;
    }

    public State stateAt(Instant now) {
        if (done() && counts.getOrDefault("CANCELLED", 0L) == 0) {
            return State.DONE;
        }
        if (cancelled) {
            return State.CANCELLED;
        }
        if (pausedUntil != null && pausedUntil.isAfter(now)) {
            return State.PAUSED;
        }
        return total == 0 ? State.PLANNING : State.SENDING;
    }
}
