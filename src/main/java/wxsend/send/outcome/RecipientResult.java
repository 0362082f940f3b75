package wxsend.send.outcome;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One recipient of a batch: its place in the request, its masked openid, and its own outcome. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecipientResult(
        int index,
        String to,
        Status status,
        String via,
        Integer errcode,
        String errmsg,
        Long msgid,
        int attempts,
        String reason,
        String idempotencyKey,
        Boolean replayed,
        JsonNode body) {

    public static RecipientResult of(int index, String touser, SendOutcome outcome) {
        return new RecipientResult(index, Masking.openid(touser), outcome.status(), outcome.via(), outcome.errcode(), outcome.errmsg(), outcome.msgid(),
                outcome.attempts(), outcome.reason(), outcome.idempotencyKey(), outcome.replayed(), outcome.body());
    }
}
