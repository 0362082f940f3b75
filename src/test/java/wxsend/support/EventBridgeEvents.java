package wxsend.support;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A stand-in for EventBridge's JSON 1.1 protocol (X-Amz-Target: AWSEvents.PutEvents), so the real
 * AWS SDK client can be tested against it: it keeps every entry it took, and can be told to refuse
 * the next entries as EventBridge does, with an ErrorCode per entry and FailedEntryCount.
 */
public final class EventBridgeEvents implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "eventbridge-events";
    public static final EventBridgeEvents INSTANCE = new EventBridgeEvents();

    /** One entry EventBridge took, with its Detail parsed. */
    public record Entry(String bus, String source, String detailType, JsonNode detail, String contentType, String target) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final List<Entry> taken = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile boolean down;

    private EventBridgeEvents() {
    }

    /** The entries taken whose detail names this app. */
    public List<Entry> of(String appid) {
        List<Entry> mine = new ArrayList<>();
        taken.stream().filter(e -> appid.equals(e.detail().path("appid").asText())).forEach(mine::add);
        return mine;
    }

    /** The next {@code entries} entries are refused (ErrorCode InternalFailure), as EventBridge may refuse any. */
    public void refuseNext(int entries) {
        refusals.set(entries);
    }

    /** While down, every request is answered 500 InternalException, which the SDK retries and then throws. */
    public void down(boolean down) {
        this.down = down;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        String target = event.getRequest().getHeader("X-Amz-Target");
        if (down) {
            return answer(500, json.createObjectNode().put("__type", "InternalException").put("message", "down"));
        }
        try {
            if (!"AWSEvents.PutEvents".equals(target)) {
                return answer(400, json.createObjectNode().put("__type", "UnknownOperationException"));
            }
            JsonNode request = json.readTree(event.getRequest().getBodyAsString());
            ObjectNode body = json.createObjectNode();
            ArrayNode results = body.putArray("Entries");
            int failed = 0;
            for (JsonNode entry : request.path("Entries")) {
                if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    failed++;
                    results.addObject().put("ErrorCode", "InternalFailure").put("ErrorMessage", "Internal service error");
                    continue;
                }
                taken.add(new Entry(entry.path("EventBusName").asText(null), entry.path("Source").asText(),
                        entry.path("DetailType").asText(), json.readTree(entry.path("Detail").asText()),
                        event.getRequest().getHeader("Content-Type"), target));
                results.addObject().put("EventId", UUID.randomUUID().toString());
            }
            body.put("FailedEntryCount", failed);
            return answer(200, body);
        } catch (Exception e) {
            return answer(500, json.createObjectNode().put("__type", "InternalException").put("message", e.toString()));
        }
    }

    private static ResponseDefinition answer(int status, JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body.toString()).build();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }
}
