package wxsend.entry;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import wxsend.send.request.KeyHint;

/**
 * EventBridge: a SAM Schedule's constant Input arrives as the send request (or batch) itself; a
 * custom rule delivers the whole envelope, with the request in {@code detail} and the event's
 * {@code id} as its idempotency key, so a redelivered event sends nothing twice. An outcome a
 * retry could improve fails the invocation, so EventBridge's asynchronous retry applies.
 */
public class ScheduledFunction {

    @Inject
    Invocations invocations;

    @Funq("scheduled")
    public Uni<JsonNode> scheduled(JsonNode event) {
        return ScheduledEvents.request(event)
                .map(request -> invocations.handle(request, ScheduledEvents.id(event)))
                .orElseGet(() -> Uni.createFrom().item(invocations.refuse("detail",
                        "missing: an EventBridge event must carry the send request in detail")));
    }
}
