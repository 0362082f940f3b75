package wxsend.send;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of one request. errcode and errmsg are WeChat's, present when there was a call;
 * attempts counts calls to the send API.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SendOutcome(
        Status status,
        String app,
        Integer errcode,
        String errmsg,
        int attempts,
        String reason,
        List<FieldError> errors,
        String endpoint,
        JsonNode body) {

    static SendOutcome invalid(List<FieldError> errors) {
        String reason = String.join("; ", errors.stream().map(FieldError::toString).toList());
        return new SendOutcome(Status.INVALID, null, null, null, 0, reason, List.copyOf(errors), null, null);
    }

    static SendOutcome dryRun(String app, String endpoint, JsonNode body) {
        return new SendOutcome(Status.DRY_RUN, app, null, null, 0, null, null, endpoint, body);
    }

    static SendOutcome of(Status status, String app, Integer errcode, String errmsg, int attempts, String reason) {
        return new SendOutcome(status, app, errcode, errmsg, attempts, reason, null, null, null);
    }
}
