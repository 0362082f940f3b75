package wxsend.entry;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import wxsend.send.SendOutcome;
import wxsend.send.SendService;

/**
 * EventBridge: a SAM Schedule's constant Input arrives as the send request itself; a custom
 * rule delivers the whole envelope, with the request in {@code detail}. FAILED fails the
 * invocation, so EventBridge's asynchronous retry applies.
 */
public class ScheduledFunction {

    @Inject
    SendService service;

    @Funq("scheduled")
    public Uni<SendOutcome> scheduled(JsonNode event) {
        return ScheduledEvents.request(event)
                .map(service::send)
                .orElseGet(() -> Uni.createFrom().item(service.refuse("detail",
                        "missing: an EventBridge event must carry the send request in detail")))
                .onItem().transform(SendFunction::failIfTransient);
    }
}
