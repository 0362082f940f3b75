package wxsend.send;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of one message. errcode and errmsg are WeChat's, present when there was a call;
 * attempts counts calls to the send API. {@code replayed} is true when this is the stored result
 * of an earlier request with the same idempotency key, and nothing was sent this time.
 * {@code via} names the API that delivered it (or last refused it); {@code msgid} is
 * template/send's message id.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SendOutcome(
        Status status,
        String app,
        String via,
        Integer errcode,
        String errmsg,
        Long msgid,
        int attempts,
        String reason,
        List<FieldError> errors,
        String endpoint,
        JsonNode body,
        String idempotencyKey,
        Boolean replayed) {

    static SendOutcome invalid(List<FieldError> errors) {
        String reason = String.join("; ", errors.stream().map(FieldError::toString).toList());
        return new SendOutcome(Status.INVALID, null, null, null, null, null, 0, reason, List.copyOf(errors), null, null, null,
                null);
    }

    static SendOutcome dryRun(String app, String endpoint, JsonNode body) {
        return new SendOutcome(Status.DRY_RUN, app, null, null, null, null, 0, null, null, endpoint, body, null, null);
    }

    static SendOutcome of(Status status, String app, Integer errcode, String errmsg, int attempts, String reason) {
        return new SendOutcome(status, app, null, errcode, errmsg, null, attempts, reason, null, null, null, null, null);
    }

    SendOutcome via(String api, Long id) {
        return new SendOutcome(status, app, api, errcode, errmsg, id, attempts, reason, errors, endpoint, body, idempotencyKey,
                replayed);
    }

    /** Calls made before this outcome's own (a retired API tried first) count too. */
    SendOutcome plusAttempts(int earlier) {
        return new SendOutcome(status, app, via, errcode, errmsg, msgid, attempts + earlier, reason, errors, endpoint, body,
                idempotencyKey, replayed);
    }

    SendOutcome withKey(String key) {
        return new SendOutcome(status, app, via, errcode, errmsg, msgid, attempts, reason, errors, endpoint, body, key, replayed);
    }

    SendOutcome asReplay() {
        return new SendOutcome(status, app, via, errcode, errmsg, msgid, attempts, reason, errors, endpoint, body, idempotencyKey,
                true);
    }

    /**
     * Whether this result stands for good, so duplicates get it back: a delivery, a possible
     * delivery, or WeChat refusing a message it was shown. Failures before WeChat saw the message
     * (token, quota for the day) are released, so a later retry may still send.
     */
    /** Refusals that are no verdict on the message: the day's quota, a retired API. A later try may succeed. */
    static final java.util.Set<Integer> RELEASED = java.util.Set.of(45009, 45103, 45109);

    boolean settled() {
        return switch (status) {
            case SENT, UNKNOWN -> true;
            case REJECTED -> attempts > 0 && !(errcode != null && RELEASED.contains(errcode));
            default -> false;
        };
    }
}
