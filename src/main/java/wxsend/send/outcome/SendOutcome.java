package wxsend.send.outcome;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The answer to the caller for one message. Most fields come from its {@link Verdict}; {@code errors}
 * names the bad fields of an INVALID request; {@code endpoint} and {@code body} show a dry run;
 * {@code replayed} is true when this is the stored result of an earlier request with the same
 * idempotency key, and nothing was sent this time.
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

    public static SendOutcome invalid(List<FieldError> errors) {
        String reason = String.join("; ", errors.stream().map(FieldError::toString).toList());
        return new SendOutcome(Status.INVALID, null, null, null, null, null, 0, reason, List.copyOf(errors), null, null, null,
                null);
    }

    public static SendOutcome dryRun(String app, String endpoint, JsonNode body) {
        return new SendOutcome(Status.DRY_RUN, app, null, null, null, null, 0, null, null, endpoint, body, null, null);
    }

    /** @param replayed true for a stored result, null for one made now */
    public static SendOutcome of(Verdict verdict, String key, Boolean replayed) {
        return new SendOutcome(verdict.status(), verdict.app(), verdict.via(), verdict.errcode(), verdict.errmsg(),
                verdict.msgid(), verdict.attempts(), verdict.reason(), null, null, null, key, replayed);
    }
}
