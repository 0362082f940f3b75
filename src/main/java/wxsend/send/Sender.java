package wxsend.send;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.smallrye.mutiny.Uni;
import wxsend.config.WxsendConfig;
import wxsend.idempotency.Idempotency;
import wxsend.idempotency.IdempotencyStoreException;
import wxsend.token.TokenProvider;
import wxsend.wechat.WeChatClient;

/**
 * Sends one validated message at most once per idempotency key: claims the key, delivers, and
 * keeps the result for duplicates (or releases the key when a retry could still succeed).
 * Singles and batches both come through here.
 */
@ApplicationScoped
class Sender {

    private static final Logger LOG = Logger.getLogger(Sender.class);

    /**
     * @param key the caller's key (or one derived from the request) before it is scoped to the app
     * @param retryUntil epoch millis after which no retry starts
     */
    record Job(String app, UniformMessage message, String key, String requestId, long retryUntil, long started) {
    }

    /** Bounds the results kept in memory while the store cannot take them. */
    static final int MAX_UNRECORDED = 10_000;

    private final java.util.Map<String, SendOutcome> unrecorded = new java.util.concurrent.ConcurrentHashMap<>();
    private final TokenProvider tokens;
    private final WeChatClient wechat;
    private final Idempotency idempotency;
    private final ObjectMapper json;
    private final ObjectWriter canonical;
    private final SendLog log;
    private final WxsendConfig.Send settings;

    Sender(TokenProvider tokens, WeChatClient wechat, Idempotency idempotency, ObjectMapper json, SendLog log,
            WxsendConfig config) {
        this.tokens = tokens;
        this.wechat = wechat;
        this.idempotency = idempotency;
        this.json = json;
        this.canonical = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.log = log;
        this.settings = config.send();
    }

    Uni<SendOutcome> send(Job job) {
        String body = write(json.writer(), job.message());
        String id = job.app() + "#" + job.key();
        SendOutcome unrecorded = unrecorded(id);
        if (unrecorded != null) {
            return Uni.createFrom().item(unrecorded.asReplay().withKey(job.key()))
                    .invoke(outcome -> log.record(job.requestId(), outcome, job.message().touser(), job.started()));
        }
        return idempotency.begin(id, hash(job.app(), job.message()))
                .onItem().transformToUni(begin -> begin instanceof Idempotency.Proceed proceed
                        ? deliver(job, body, proceed.ticket())
                        : Uni.createFrom().item(duplicate(begin, job.app())))
                .onFailure().recoverWithItem(e -> failed(e, job.app()))
                .onItem().transform(outcome -> outcome.withKey(job.key()))
                .invoke(outcome -> log.record(job.requestId(), outcome, job.message().touser(), job.started()));
    }

    /** The SHA-256 of the app and the message with its map keys sorted, in hex. */
    String hash(String app, Object normalised) {
        return sha256(app + "\n" + write(canonical, normalised));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Uni<SendOutcome> deliver(Job job, String body, Idempotency.Ticket ticket) {
        return new Delivery(tokens, wechat, job.app(), body, settings.maxAttempts())
                .run(settings.initialBackoff(), settings.maxBackoff(), job.retryUntil())
                .onItem().transformToUni(outcome -> finish(ticket, outcome));
    }

    private Uni<SendOutcome> finish(Idempotency.Ticket ticket, SendOutcome outcome) {
        Uni<Void> kept = outcome.settled() ? idempotency.complete(ticket, write(json.writer(), outcome.withKey(null)))
                : idempotency.release(ticket);
        return kept.onItem().transform(ignored -> outcome)
                .onFailure().recoverWithItem(e -> {
                    // The message's fate is known; only its record is not. The claim stays IN_PROGRESS in
                    // the store until it expires, and this instance answers the key from memory meanwhile.
                    LOG.warnf("could not record the result for app %s: %s", outcome.app(), e.getMessage());
                    if (outcome.settled()) {
                        remember(ticket.id(), outcome);
                    }
                    return outcome;
                });
    }

    private static SendOutcome failed(Throwable e, String app) {
        if (e instanceof IdempotencyStoreException) {
            return SendOutcome.of(Status.FAILED, app, null, null, 0,
                    "the idempotency store could not be reached (" + e.getMessage() + "), so nothing was sent; retry later");
        }
        LOG.errorf(e, "a send for app %s ended unexpectedly", app);
        return SendOutcome.of(Status.FAILED, app, null, null, 0, "unexpected " + e.getClass().getSimpleName());
    }

    private SendOutcome unrecorded(String id) {
        return unrecorded.get(id);
    }

    private void remember(String id, SendOutcome outcome) {
        if (unrecorded.size() >= MAX_UNRECORDED) {
            unrecorded.clear();
        }
        unrecorded.put(id, outcome);
    }

    private SendOutcome duplicate(Idempotency.Begin begin, String app) {
        if (begin instanceof Idempotency.Replay replay) {
            return replayed(replay.result(), app);
        }
        if (begin instanceof Idempotency.InProgress) {
            return SendOutcome.of(Status.IN_PROGRESS, app, null, null, 0,
                    "a request with this idempotency key is being sent right now; nothing was sent");
        }
        return SendOutcome.of(Status.REJECTED, app, null, null, 0,
                "this idempotency key was used for a different request; nothing was sent");
    }

    private SendOutcome replayed(String result, String app) {
        try {
            return json.readValue(result, SendOutcome.class).asReplay();
        } catch (JsonProcessingException e) {
            return SendOutcome.of(Status.FAILED, app, null, null, 0, "the stored result for this key is unreadable");
        }
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a validated message", e);
        }
    }
}
