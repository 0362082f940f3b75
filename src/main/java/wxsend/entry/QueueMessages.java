package wxsend.entry;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.smallrye.mutiny.Uni;
import wxsend.broadcast.ChunkDelivery;
import wxsend.broadcast.Planner;
import wxsend.broadcast.RecipientSourceException;
import wxsend.send.request.KeyHint;

/**
 * One queue message: a step of a broadcast's planning ({@link Planner}), a chunk of a broadcast
 * ({@link ChunkDelivery}), or a send request or a batch, in today's formats, that another service
 * put on the queue; its key is its own, else the SQS message id, so a redelivered message sends
 * nothing twice. A message that can never succeed (not JSON, not an object, invalid, of a broadcast
 * that is gone) is failed every time, so the queue's redrive policy moves it to the dead-letter
 * queue, where it is kept and counted, rather than dropped.
 */
@ApplicationScoped
class QueueMessages {

    private static final Logger LOG = Logger.getLogger(QueueMessages.class);

    private final Invocations invocations;
    private final ChunkDelivery chunks;
    private final Planner planner;
    /** As over HTTP: one value per key, nothing after the document. */
    private final ObjectReader strict;

    QueueMessages(Invocations invocations, ChunkDelivery chunks, Planner planner, ObjectMapper json) {
        this.invocations = invocations;
        this.chunks = chunks;
        this.planner = planner;
        this.strict = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Fails for a message that must come back (or, never valid, go to the dead-letter queue). */
    Uni<Void> handle(String messageId, String body) {
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : strict.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's location only: its message quotes the input back.
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            return poison(messageId, "(body)", "is not JSON" + where);
        }
        if (request == null || !request.isObject()) {
            return poison(messageId, "(body)", "must be a JSON send request or batch");
        }
        if (Planner.isPlan(request)) {
            // A plan for a broadcast that is gone, or an object that was deleted, can never succeed: set it aside.
            return planner.plan(request)
                    .onFailure(e -> e instanceof IllegalArgumentException
                            || e instanceof RecipientSourceException source && source.permanent())
                    .recoverWithUni(e -> setAside(messageId, e.getMessage()));
        }
        if (ChunkDelivery.isChunk(request)) {
            // A chunk that is malformed, or of a broadcast that is gone, can never succeed: set it aside.
            return chunks.deliver(request).onFailure(IllegalArgumentException.class)
                    .recoverWithUni(e -> setAside(messageId, e.getMessage()));
        }
        return invocations.handle(request, KeyHint.queueMessage(messageId))
                .onItem().transformToUni(answer -> answer.path("status").asText().equals("INVALID")
                        ? setAside(messageId, answer.path("reason").asText())
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> poison(String messageId, String field, String problem) {
        invocations.refuse(field, problem);
        return setAside(messageId, field + ": " + problem);
    }

    private static Uni<Void> setAside(String messageId, String why) {
        PoisonMessageException poison = new PoisonMessageException(messageId, why);
        LOG.warn(poison.getMessage());
        return Uni.createFrom().failure(poison);
    }

    /** A message that is no request: failed so that the redrive policy sets it aside. */
    static final class PoisonMessageException extends RuntimeException {

        PoisonMessageException(String messageId, String why) {
            super("queue message " + messageId + " is not a valid send request, so it is left for the dead-letter queue: "
                    + why, null, false, false);
        }
    }
}
