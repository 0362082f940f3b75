package wxsend.send;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a batch: the shared message fields at the top (as in a single request, without touser)
 * and {@code recipients: [{touser, data?}]}. Every bad field is named, with its recipient's index.
 */
final class BatchReader {

    sealed interface Result permits Valid, Invalid {
    }

    record Valid(BatchRequest batch) implements Result {
    }

    record Invalid(List<FieldError> errors) implements Result {
    }

    private BatchReader() {
    }

    static Result read(JsonNode root, int maxRecipients) {
        RequestReader reader = new RequestReader();
        if (root == null || root.isNull() || root.isMissingNode() || !root.isObject()) {
            return new Invalid(List.of(new FieldError("(request)", "must be a JSON object with recipients")));
        }
        if (root.has("touser")) {
            reader.errors.add(new FieldError("touser", "goes in each recipient of a batch: recipients[].touser"));
        }
        if (root.has("officialAccountOpenid")) {
            reader.errors.add(new FieldError("officialAccountOpenid", "goes in each recipient of a batch: "
                    + "recipients[].officialAccountOpenid"));
        }
        String kind = reader.kindOf(root);
        if (kind == null) {
            return new Invalid(List.copyOf(reader.errors));
        }
        reader.unknown(root, "", RequestReader.fields(kind));
        SendRequest template = reader.common(root, null, kind);
        List<BatchRequest.Recipient> recipients = recipients(reader, root.get("recipients"), maxRecipients,
                rule(template.message()), kind.equals("uniform"));
        if (!reader.errors.isEmpty()) {
            return new Invalid(List.copyOf(reader.errors));
        }
        BatchRequest batch = new BatchRequest(template, recipients);
        for (int i = 0; i < recipients.size(); i++) {
            if (items(batch.message(i)) > RequestReader.MAX_DATA_ITEMS) {
                reader.errors.add(new FieldError("recipients[" + i + "].data",
                        "brings the message to more than " + RequestReader.MAX_DATA_ITEMS + " items"));
            }
        }
        return reader.errors.isEmpty() ? new Valid(batch) : new Invalid(List.copyOf(reader.errors));
    }

    private static int items(Message message) {
        if (message instanceof UniformMessage uniform) {
            return uniform.mpTemplateMsg() != null ? uniform.mpTemplateMsg().data().size()
                    : uniform.weappTemplateMsg().data().size();
        }
        return message instanceof TemplateMessage template ? template.data().size() : ((SubscribeMessage) message).data().size();
    }

    /** The recipients' data meets the rule of the message it joins. */
    private static RequestReader.DataRule rule(Message message) {
        if (message instanceof SubscribeMessage) {
            return RequestReader.DataRule.SUBSCRIBE;
        }
        if (message instanceof UniformMessage uniform && uniform.mpTemplateMsg() == null) {
            return RequestReader.DataRule.GUARD;
        }
        return RequestReader.DataRule.OFFICIAL_ACCOUNT;
    }

    private static List<BatchRequest.Recipient> recipients(RequestReader reader, JsonNode node, int max,
            RequestReader.DataRule rule, boolean uniform) {
        List<BatchRequest.Recipient> recipients = new ArrayList<>();
        if (node == null || node.isNull()) {
            reader.errors.add(new FieldError("recipients", "required"));
            return recipients;
        }
        if (!node.isArray()) {
            reader.errors.add(new FieldError("recipients", "must be an array, not " + RequestReader.kind(node)));
            return recipients;
        }
        if (node.isEmpty() || node.size() > max) {
            reader.errors.add(new FieldError("recipients", "must hold 1 to " + max + " recipients, not " + node.size()));
            return recipients;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "recipients[" + i + "]";
            JsonNode entry = node.get(i);
            if (!reader.object(entry, path)) {
                continue;
            }
            reader.unknown(entry, path + ".", uniform ? Set.of("touser", "data", "officialAccountOpenid") : Set.of("touser", "data"));
            String touser = reader.touser(entry, path + ".touser");
            String officialAccountOpenid = uniform ? reader.text(entry, "officialAccountOpenid", path + ".officialAccountOpenid",
                    false, RequestReader.OPENID, "letters, digits, '_' or '-', at most 64") : null;
            Map<String, UniformMessage.DataItem> data = RequestReader.present(entry, "data")
                    ? reader.data(entry, path + ".data", rule) : Map.of();
            Integer first = seen.putIfAbsent(entry.toString(), i);
            if (first != null) {
                reader.errors.add(new FieldError(path, "repeats recipients[" + first + "]: a batch sends each message once"));
            }
            recipients.add(new BatchRequest.Recipient(touser, data == null ? Map.of() : data, officialAccountOpenid));
        }
        return recipients;
    }
}
