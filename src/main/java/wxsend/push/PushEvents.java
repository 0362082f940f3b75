package wxsend.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts one verified push on EVENT_BUS_NAME as one event: source {@value #SOURCE}, detail-type the
 * MsgType (or the Event, for events), detail the message as JSON with its appid. Blocks: call it
 * off the event loop.
 */
@ApplicationScoped
class PushEvents {

    static final String SOURCE = "wxsend.wechat";
    private static final Logger LOG = Logger.getLogger(PushEvents.class);

    private final Instance<EventBridgeClient> client;
    private final PushConfig config;
    private final ObjectMapper json;

    PushEvents(Instance<EventBridgeClient> client, PushConfig config, ObjectMapper json) {
        this.client = client;
        this.config = config;
        this.json = json;
    }

    /**
     * Whether EventBridge took the event. Never throws: a push it did not take must be answered
     * without "success" and its claim released, whatever went wrong.
     */
    boolean put(String appid, String detailType, ObjectNode detail) {
        try {
            PutEventsRequestEntry entry = PutEventsRequestEntry.builder().eventBusName(config.eventBus()).source(SOURCE)
                    .detailType(detailType).detail(json.writeValueAsString(detail)).build();
            PutEventsResponse response = client.get().putEvents(r -> r.entries(entry));
            PutEventsResultEntry result = response.entries().isEmpty() ? null : response.entries().get(0);
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0 || result == null
                    || result.errorCode() != null) {
                // EventBridge's error code and message name the bus or the limit, never the event's content.
                LOG.warnf("app %s: EventBridge did not take a %s push: %s %s", appid, detailType,
                        result == null ? "no entry" : result.errorCode(), result == null ? "" : result.errorMessage());
                return false;
            }
            return true;
        } catch (JsonProcessingException e) {
            LOG.errorf("app %s: a %s push could not be written as JSON", appid, detailType);
            return false;
        } catch (RuntimeException e) {
            LOG.warnf("app %s: PutEvents failed for a %s push: %s: %s", appid, detailType, e.getClass().getSimpleName(),
                    e.getMessage());
            return false;
        }
    }
}
