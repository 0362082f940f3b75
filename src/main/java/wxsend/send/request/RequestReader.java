package wxsend.send.request;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.Message;
import wxsend.send.outcome.FieldError;

/**
 * Reads a single request from JSON and names every field that is wrong. Unknown fields are
 * refused at every level, and nothing reaches WeChat unless all of it is right. Each kind's own
 * fields are read by its reader ({@link Kind#read}).
 */
public final class RequestReader {

    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(SendRequest request) implements Result {
    }

    public record Invalid(List<FieldError> errors) implements Result {
    }

    private RequestReader() {
    }

    public static Result read(JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new Invalid(List.of(new FieldError("(request)", "is empty; expected a JSON object")));
        }
        if (!root.isObject()) {
            return new Invalid(List.of(new FieldError("(request)", "must be a JSON object, not " + FieldReader.jsonType(root))));
        }
        FieldReader in = new FieldReader();
        if (root.has("recipients")) {
            in.error("recipients", "belongs to a batch: send it to POST /messages/batch");
        }
        Kind kind = Kind.of(in, root);
        if (kind == null) {
            return new Invalid(in.errors());
        }
        in.unknown(root, "", kind.fields());
        String touser = in.text(root, "touser", Rules.OPENID.asRequired());
        SendRequest request = shared(in, root, touser, kind);
        return in.hasErrors() ? new Invalid(in.errors()) : new Valid(request);
    }

    /** The fields a single request and a batch share: the message (for this recipient), app, dryRun, key. */
    static SendRequest shared(FieldReader in, JsonNode root, String touser, Kind kind) {
        Optional<String> app = Optional.ofNullable(in.text(root, "app", Rules.APPID));
        boolean dryRun = in.bool(root, "dryRun");
        Optional<String> key = Optional.ofNullable(in.text(root, "idempotencyKey", Rules.IDEMPOTENCY_KEY));
        boolean deduplicate = in.bool(root, "deduplicate", true);
        Message message = kind.read(in, root, touser);
        Optional<String> officialAccountOpenid = Optional.ofNullable(in.text(root, "officialAccountOpenid", Rules.OPENID));
        return new SendRequest(message, app, dryRun, key, deduplicate, officialAccountOpenid);
    }
}
