package wxsend.send.outcome;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of a batch: one entry per recipient, in request order, and how many ended in each
 * status. INCOMPLETE means some recipients can still be reached by sending the same batch again
 * (same idempotency key): those already sent are skipped.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchOutcome(
        State status,
        String app,
        String idempotencyKey,
        int total,
        Map<Status, Integer> counts,
        String reason,
        List<FieldError> errors,
        List<RecipientResult> results) {

    public enum State {
        /** Every recipient has a final status. */
        COMPLETE,
        /** Some recipients are FAILED, IN_PROGRESS or NOT_ATTEMPTED: send the same batch again. */
        INCOMPLETE,
        /** Refused before any call; {@code errors} names each bad field. */
        INVALID,
        /** Valid, not sent: each result holds its exact body. */
        DRY_RUN
    }

    public static BatchOutcome invalid(List<FieldError> errors) {
        String reason = errors.size() + " field(s) wrong; nothing was sent";
        return new BatchOutcome(State.INVALID, null, null, 0, null, reason, List.copyOf(errors), null);
    }

    public static BatchOutcome of(boolean dryRun, String app, String key, List<RecipientResult> results) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        results.forEach(result -> counts.merge(result.status(), 1, Integer::sum));
        long open = results.stream().filter(result -> result.status().retryable()).count();
        State state = dryRun ? State.DRY_RUN : open == 0 ? State.COMPLETE : State.INCOMPLETE;
        String reason = state == State.INCOMPLETE ? open + " recipient(s) not yet reached: send the same batch with the "
                + "same idempotency key again, and only they are tried" : null;
        return new BatchOutcome(state, app, key, results.size(), counts, reason, null, results);
    }
}
