package wxsend.entry;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import wxsend.send.SendOutcome;
import wxsend.send.SendService;
import wxsend.send.Status;

/**
 * Direct invocation by other functions. Permanent outcomes return normally; a transient FAILED
 * fails the invocation so that Lambda's own retry of asynchronous events applies.
 */
public class SendFunction {

    @Inject
    SendService service;

    @Funq("send")
    public Uni<SendOutcome> send(JsonNode request) {
        return service.send(request).onItem().transform(SendFunction::failIfTransient);
    }

    static SendOutcome failIfTransient(SendOutcome outcome) {
        if (outcome.status() == Status.FAILED) {
            throw new SendFailedException(outcome);
        }
        return outcome;
    }
}
