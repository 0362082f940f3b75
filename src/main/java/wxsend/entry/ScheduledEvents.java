package wxsend.entry;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import wxsend.send.request.KeyHint;

/** Tells an EventBridge envelope from a bare send request, and takes the request out of it. */
final class ScheduledEvents {

    private ScheduledEvents() {
    }

    static boolean isEnvelope(JsonNode event) {
        return event != null && event.isObject() && event.has("detail-type") && event.has("source");
    }

    /** An envelope's event id, EventBridge's own de-duplication key; none for a bare request. */
    static KeyHint id(JsonNode event) {
        JsonNode id = isEnvelope(event) ? event.get("id") : null;
        return id != null && id.isTextual() ? KeyHint.eventId(id.textValue()) : KeyHint.none();
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
