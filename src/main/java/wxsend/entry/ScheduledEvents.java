package wxsend.entry;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/** Tells an EventBridge envelope from a bare send request, and takes the request out of it. */
final class ScheduledEvents {

    private ScheduledEvents() {
    }

    static boolean isEnvelope(JsonNode event) {
        return event != null && event.isObject() && event.has("detail-type") && event.has("source");
    }

    /** Empty for an envelope without a detail object. */
    static Optional<JsonNode> request(JsonNode event) {
        if (!isEnvelope(event)) {
            return Optional.of(event == null ? NullNode.getInstance() : event);
        }
        JsonNode detail = event.get("detail");
        return detail != null && detail.isObject() && !detail.isEmpty() ? Optional.of(detail) : Optional.empty();
    }
}
