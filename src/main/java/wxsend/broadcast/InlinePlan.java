package wxsend.broadcast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import wxsend.send.outcome.FieldError;

/**
 * A broadcast's inline recipients, planned: chunk messages of each openid's first appearance, in
 * order; the later appearances counted REPEAT (sent to once, at the first) and listed for the
 * failures report; a recipient too large for any chunk message named by its index.
 */
final class InlinePlan {

    record Plan(List<String> bodies, long total, List<String> repeats, List<FieldError> tooLarge) {
    }

    private InlinePlan() {
    }

    /**
     * Recipients no chunk message could carry, each named by its index (and the field, for a
     * character SQS refuses); empty when every one fits.
     */
    static List<FieldError> tooLarge(JsonNode recipients) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Optional<String> unsendable = Chunks.unsendable(recipients.get(i), "recipients[" + i + "]");
            if (unsendable.isPresent()) {
                errors.add(new FieldError(unsendable.get(), Chunks.UNSENDABLE));
                continue;
            }
            int bytes = Chunks.utf8Length(recipients.get(i).toString());
            if (bytes > Chunks.MAX_RECIPIENT_BYTES) {
                errors.add(new FieldError("recipients[" + i + "]", "is " + bytes + " bytes of JSON, more than one chunk message can "
                        + "carry (" + Chunks.MAX_RECIPIENT_BYTES + " bytes of UTF-8, within SQS's 256 KiB a call)"));
            }
        }
        return errors;
    }

    static Plan of(ObjectMapper json, String id, JsonNode recipients, int chunkSize, long since) {
        Map<String, Integer> first = new HashMap<>();
        List<JsonNode> unique = new ArrayList<>();
        List<String> repeats = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            JsonNode recipient = recipients.get(i);
            String touser = recipient.path("touser").asText();
            Integer earlier = first.putIfAbsent(touser, i);
            if (earlier == null) {
                unique.add(recipient);
            } else {
                repeats.add(json.createObjectNode().put("touser", touser).put("status", "REPEAT").put("index", i)
                        .put("reason", "the same openid as recipients[" + earlier + "]: sent to once, there").toString());
            }
        }
        return new Plan(Chunks.plan(json, id, unique, chunkSize, 0, since), recipients.size(), repeats, tooLarge(recipients));
    }
}
