package wxsend.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import wxsend.broadcast.BroadcastAnswer;
import wxsend.broadcast.BroadcastService;
import wxsend.quota.QuotaAnswer;
import wxsend.quota.QuotaService;
import wxsend.send.outcome.BatchOutcome;
import wxsend.send.BatchService;
import wxsend.send.request.KeyHint;
import wxsend.send.outcome.SendOutcome;
import wxsend.send.SendService;

/**
 * What direct, scheduled and queued invocations share: {@code {"broadcast":{…}}} submits a
 * broadcast, {@code {"quota":{"app":…}}} reports an app's daily quotas (and prints them as metrics), a payload with recipients is a batch, anything else a single message, and an
 * outcome a retry could still improve fails the invocation.
 */
@ApplicationScoped
class Invocations {

    private final SendService singles;
    private final BatchService batches;
    private final BroadcastService broadcasts;
    private final QuotaService quotas;
    private final ObjectMapper json;

    Invocations(SendService singles, BatchService batches, BroadcastService broadcasts, QuotaService quotas, ObjectMapper json) {
        this.singles = singles;
        this.batches = batches;
        this.broadcasts = broadcasts;
        this.quotas = quotas;
        this.json = json;
    }

    Uni<JsonNode> handle(JsonNode payload, KeyHint hint) {
        if (payload != null && payload.isObject() && payload.size() == 1 && payload.has("broadcast")) {
            return broadcasts.submit(payload.get("broadcast"), hint).onItem().transform(this::failIfUnavailable);
        }
        if (payload != null && payload.isObject() && payload.size() == 1 && payload.has("quota")) {
            JsonNode app = payload.get("quota").path("app");
            if (!payload.get("quota").isObject() || !(app.isMissingNode() || app.isTextual())) {
                return Uni.createFrom().item(refuse("quota.app", "must be an appid string, or left out for the default app"));
            }
            return quotas.of(app.isTextual() ? app.asText() : null).onItem().transform(this::failIfUnavailable);
        }
        if (BatchService.isBatch(payload)) {
            return batches.send(payload, hint).onItem().transform(this::failIfIncomplete);
        }
        return singles.send(payload, hint).onItem().transform(this::failIfRetryable);
    }

    private JsonNode failIfUnavailable(BroadcastAnswer answer) {
        if (answer.status() == BroadcastAnswer.Status.UNAVAILABLE) {
            throw new SendFailedException(answer);
        }
        return json.valueToTree(answer);
    }

    private JsonNode failIfUnavailable(QuotaAnswer answer) {
        if (answer.status() == QuotaAnswer.Status.UNAVAILABLE) {
            throw new SendFailedException(answer);
        }
        return json.valueToTree(answer);
    }

    JsonNode refuse(String field, String message) {
        return json.valueToTree(singles.refuse(field, message));
    }

    private JsonNode failIfRetryable(SendOutcome outcome) {
        if (outcome.status().retryable()) {
            throw new SendFailedException(outcome);
        }
        return json.valueToTree(outcome);
    }

    private JsonNode failIfIncomplete(BatchOutcome outcome) {
        if (outcome.status() == BatchOutcome.State.INCOMPLETE) {
            throw new SendFailedException(outcome);
        }
        return json.valueToTree(outcome);
    }
}
