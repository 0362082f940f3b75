package wxsend.entry;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import wxsend.send.request.KeyHint;

/**
 * Direct invocation by other functions, of one message or a batch. Final outcomes return
 * normally; one a retry could improve fails the invocation, so that Lambda's own retry of
 * asynchronous events applies.
 */
public class SendFunction {

    @Inject
    Invocations invocations;

    @Funq("send")
    public Uni<JsonNode> send(JsonNode request) {
        return invocations.handle(request, KeyHint.none());
    }
}
