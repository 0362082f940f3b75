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
        reader.unknown(root, "", Set.of("touser", "recipients", "mp_template_msg", "weapp_template_msg", "app", "dryRun",
                "idempotencyKey"));
        SendRequest template = reader.common(root, null);
        List<BatchRequest.Recipient> recipients = recipients(reader, root.get("recipients"), maxRecipients,
                template.message().mpTemplateMsg() != null);
        if (!reader.errors.isEmpty()) {
            return new Invalid(List.copyOf(reader.errors));
        }
        BatchRequest batch = new BatchRequest(template, recipients);
        for (int i = 0; i < recipients.size(); i++) {
            UniformMessage message = batch.message(i);
            int items = message.mpTemplateMsg() != null ? message.mpTemplateMsg().data().size()
                    : message.weappTemplateMsg().data().size();
            if (items > RequestReader.MAX_DATA_ITEMS) {
                reader.errors.add(new FieldError("recipients[" + i + "].data",
                        "brings the message to more than " + RequestReader.MAX_DATA_ITEMS + " items"));
            }
        }
        return reader.errors.isEmpty() ? new Valid(batch) : new Invalid(List.copyOf(reader.errors));
    }

    private static List<BatchRequest.Recipient> recipients(RequestReader reader, JsonNode node, int max,
            boolean officialAccount) {
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
            reader.unknown(entry, path + ".", Set.of("touser", "data"));
            String touser = reader.touser(entry, path + ".touser");
            Map<String, UniformMessage.DataItem> data = RequestReader.present(entry, "data")
                    ? reader.data(entry, path + ".data", officialAccount) : Map.of();
            Integer first = seen.putIfAbsent(entry.toString(), i);
            if (first != null) {
                reader.errors.add(new FieldError(path, "repeats recipients[" + first + "]: a batch sends each message once"));
            }
            recipients.add(new BatchRequest.Recipient(touser, data == null ? Map.of() : data));
        }
        return recipients;
    }
}
