package wxsend.send.request;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.DataItem;
import wxsend.send.outcome.FieldError;

/**
 * Reads a batch: the shared message fields at the top (as in a single request, without touser)
 * and {@code recipients: [{touser, data?}]}. Every bad field is named, with its recipient's index.
 */
public final class BatchReader {

    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(BatchRequest batch) implements Result {
    }

    public record Invalid(List<FieldError> errors) implements Result {
    }

    private BatchReader() {
    }

    public static Result read(JsonNode root, int maxRecipients) {
        return read(root, maxRecipients, false);
    }

    /**
     * @param repeatsAllowed true for a broadcast's chunk, whose ledger marks a repeated recipient
     *        REPEAT and sends it once; a batch refuses a repeat instead
     */
    public static Result read(JsonNode root, int maxRecipients, boolean repeatsAllowed) {
        if (root == null || root.isNull() || root.isMissingNode() || !root.isObject()) {
            return new Invalid(List.of(new FieldError("(request)", "must be a JSON object with recipients")));
        }
        FieldReader in = new FieldReader();
        if (root.has("touser")) {
            in.error("touser", "goes in each recipient of a batch: recipients[].touser");
        }
        if (root.has("officialAccountOpenid")) {
            in.error("officialAccountOpenid", "goes in each recipient of a batch: recipients[].officialAccountOpenid");
        }
        Kind kind = Kind.of(in, root);
        if (kind == null) {
            return new Invalid(in.errors());
        }
        in.unknown(root, "", kind.fields());
        SendRequest shared = RequestReader.shared(in, root, null, kind);
        List<BatchRequest.Recipient> recipients = recipients(in, root.get("recipients"), maxRecipients,
                DataRule.of(shared.message()), kind == Kind.UNIFORM, repeatsAllowed);
        if (in.hasErrors()) {
            return new Invalid(in.errors());
        }
        BatchRequest batch = new BatchRequest(shared, recipients);
        for (int i = 0; i < recipients.size(); i++) {
            if (batch.message(i).dataSize() > Rules.MAX_DATA_ITEMS) {
                in.error("recipients[" + i + "].data", "brings the message to more than " + Rules.MAX_DATA_ITEMS + " items");
            }
        }
        return in.hasErrors() ? new Invalid(in.errors()) : new Valid(batch);
    }

    /** One recipient object at {@code path}: touser, its own data, and (uniform) its official-account openid. */
    static BatchRequest.Recipient recipient(FieldReader in, JsonNode entry, String path, DataRule rule, boolean uniform) {
        if (rule == DataRule.NONE && FieldReader.present(entry, "data")) {
            in.error(path + ".data", "a customer-service message has no template data");
        }
        in.unknown(entry, path + ".", uniform ? Set.of("touser", "data", "officialAccountOpenid") : Set.of("touser", "data"));
        String touser = in.text(entry, "touser", path + ".touser", Rules.OPENID.asRequired());
        String officialAccountOpenid = uniform
                ? in.text(entry, "officialAccountOpenid", path + ".officialAccountOpenid", Rules.OPENID) : null;
        Map<String, DataItem> data = FieldReader.present(entry, "data") && rule != DataRule.NONE
                ? PartsReader.data(in, entry, path + ".data", rule)
                : Map.of();
        return new BatchRequest.Recipient(touser, data == null ? Map.of() : data, officialAccountOpenid);
    }

    private static List<BatchRequest.Recipient> recipients(FieldReader in, JsonNode node, int max, DataRule rule,
            boolean uniform, boolean repeatsAllowed) {
        List<BatchRequest.Recipient> recipients = new ArrayList<>();
        if (node == null || node.isNull()) {
            in.error("recipients", "required");
            return recipients;
        }
        if (!node.isArray()) {
            in.error("recipients", "must be an array, not " + FieldReader.jsonType(node));
            return recipients;
        }
        if (node.isEmpty() || node.size() > max) {
            in.error("recipients", "must hold 1 to " + max + " recipients, not " + node.size());
            return recipients;
        }
        Map<BatchRequest.Recipient, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "recipients[" + i + "]";
            JsonNode entry = node.get(i);
            if (!in.object(entry, path)) {
                continue;
            }
            BatchRequest.Recipient recipient = recipient(in, entry, path, rule, uniform);
            // By value, not by JSON text: the same recipient with its data in another order is the same send.
            Integer first = seen.putIfAbsent(recipient, i);
            if (first != null && !repeatsAllowed) {
                in.error(path, "repeats recipients[" + first + "]: a batch sends each message once");
            }
            recipients.add(recipient);
        }
        return recipients;
    }
}
