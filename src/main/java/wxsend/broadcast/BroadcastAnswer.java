package wxsend.broadcast;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import wxsend.send.outcome.FieldError;

/**
 * The answer about a broadcast: what became of the call ({@code status}), and where the broadcast
 * stands ({@code state}, its counts by final status, when a pause ends, and where its failures
 * report is written).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BroadcastAnswer(Status status, String id, String app, Broadcast.State state, Long total,
        Map<String, Long> counts, Instant pausedUntil, String failures, Boolean replayed, String reason,
        List<FieldError> errors, String idempotencyKey) {

    public enum Status {
        /** Recorded and queued: its chunks are on their way. */
        ACCEPTED,
        /** The broadcast as it stands. */
        FOUND,
        /** Checked whole as a submission would be; nothing recorded, queued or sent. */
        DRY_RUN,
        /** Refused before anything was recorded or queued; {@code errors} names each bad field. */
        INVALID,
        /** No broadcast has this id. */
        NOT_FOUND,
        /** The request conflicts with the broadcast: cancelling a finished one, a key reused with other content. */
        CONFLICT,
        /** Broadcasts are not configured, or the table or queue could not be reached: try again. */
        UNAVAILABLE
    }

    /** @param failures where the failures report is written, or null */
    static BroadcastAnswer of(Status status, Broadcast broadcast, Instant now, String failures, Boolean replayed) {
        return new BroadcastAnswer(status, broadcast.id(), broadcast.app(), broadcast.stateAt(now),
                broadcast.total() == 0 ? null : broadcast.total(), broadcast.counts(),
                broadcast.stateAt(now) == Broadcast.State.PAUSED ? broadcast.pausedUntil() : null, failures, replayed, null,
                null, null);
    }

    /**
     * The same answer naming the key the broadcast was submitted under: the one a caller gave, or
     * the one wxsend chose for a submission without one, so that a retry can carry it.
     */
    BroadcastAnswer withKey(String key) {
        return new BroadcastAnswer(status, id, app, state, total, counts, pausedUntil, failures, replayed, reason, errors, key);
    }

    static BroadcastAnswer refused(Status status, String reason) {
        return new BroadcastAnswer(status, null, null, null, null, null, null, null, null, reason, null, null);
    }

    static BroadcastAnswer dryRun(String app, long total, String reason) {
        return new BroadcastAnswer(Status.DRY_RUN, null, app, null, total, null, null, null, null, reason, null, null);
    }

    static BroadcastAnswer invalid(List<FieldError> errors) {
        String reason = String.join("; ", errors.stream().map(FieldError::toString).toList());
        return new BroadcastAnswer(Status.INVALID, null, null, null, null, null, null, null, null, reason, List.copyOf(errors),
                null);
    }
}
