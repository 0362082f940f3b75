package wxsend.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import wxsend.config.WxsendConfig;
import wxsend.idempotency.OnceOnly;
import wxsend.send.outcome.Masking;

/**
 * GET and POST /wechat/push/{appid}: WeChat's pushes, verified ({@link PushVerifier}), each put on
 * EventBridge once ({@link PushEvents}). WeChat retries a push it got no answer to within 5 s, three
 * times: the retries share a key ({@link #keyOf}), claimed through {@link OnceOnly}, so a push that
 * was forwarded is answered "success" again without a second event, and one whose PutEvents failed
 * releases its claim and is answered 503, so that WeChat's retry forwards it.
 */
@ApplicationScoped
public class PushEndpoint {

    public static final String PATH = "/wechat/push";
    private static final Logger LOG = Logger.getLogger(PushEndpoint.class);

    private final PushVerifier verifier;
    private final PushEvents events;
    private final OnceOnly onceOnly;
    private final ObjectMapper json;
    private final int maxBodyBytes;
    private final Duration keepFor;

    PushEndpoint(PushVerifier verifier, PushEvents events, OnceOnly onceOnly, ObjectMapper json, PushConfig push,
            WxsendConfig config) {
        this.verifier = verifier;
        this.events = events;
        this.onceOnly = onceOnly;
        this.json = json;
        this.maxBodyBytes = push.maxBodyBytes();
        this.keepFor = config.idempotency().ttl();
    }

    /** @param query the query parameters, decoded, the first value of each */
    public Uni<PushAnswer> handle(String method, String appid, Map<String, String> query, byte[] body) {
        Uni<PushAnswer> answer = switch (method) {
            case "GET" -> blocking(() -> PushAnswer.text(verifier.echo(appid, query)));
            case "POST" -> body != null && body.length > maxBodyBytes
                    ? Uni.createFrom().failure(new PushRefused(413, "too_large", "body", "the body is over " + maxBodyBytes + " bytes"))
                    : blocking(() -> verifier.verify(appid, query, body == null ? new byte[0] : body))
                            .onItem().transformToUni(this::forwardOnce);
            default -> Uni.createFrom().failure(new PushRefused(405, "method_not_allowed", null, "use GET or POST"));
        };
        return answer.onFailure(PushRefused.class).recoverWithItem(e -> refused(appid, (PushRefused) e))
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf(e, "a push for app %s ended unexpectedly", appid);
                    return error(500, "FAILED", "internal", null, "wxsend failed unexpectedly; nothing was forwarded");
                });
    }

    private Uni<PushAnswer> forwardOnce(PushVerifier.Verified push) {
        String from = Masking.name(String.valueOf(PushVerifier.text(push.message(), "FromUserName")));
        ObjectNode detail = push.message().deepCopy();
        detail.put("appid", push.appid());
        String hash = sha256(write(detail));
        String key = keyOf(push);
        return claimAndForward(push, detail, key, hash).onItem().transformToUni(result -> {
            if (result instanceof OnceOnly.Conflict<Boolean>) {
                // Another push under the same key (two events of one kind from one user in one second): its own key.
                return claimAndForward(push, detail, key + "#" + hash.substring(0, 16), hash);
            }
            return Uni.createFrom().item(result);
        }).onItem().transform(result -> {
            if (result instanceof OnceOnly.Ran<Boolean> ran && ran.value() || result instanceof OnceOnly.Replayed<Boolean>) {
                LOG.infof("app %s: a %s push from %s %s", push.appid(), push.detailType(), from,
                        result instanceof OnceOnly.Ran ? "was forwarded to EventBridge" : "was a retry, already forwarded");
                return PushAnswer.success();
            }
            String why = result instanceof OnceOnly.Busy ? "the same push is being forwarded by another request"
                    : result instanceof OnceOnly.Unavailable<Boolean> down ? "the de-duplication store is unavailable: " + down.why()
                    : "EventBridge did not take it";
            LOG.warnf("app %s: a %s push from %s was not forwarded (%s); WeChat will retry it", push.appid(), push.detailType(),
                    from, why);
            return error(503, "FAILED", "not_forwarded", null, "not forwarded: " + why + "; retry");
        });
    }

    private Uni<OnceOnly.Result<Boolean>> claimAndForward(PushVerifier.Verified push, ObjectNode detail, String key, String hash) {
        return onceOnly.run(key, hash, true, holding -> blocking(() -> events.put(push.appid(), push.detailType(), detail)),
                new OnceOnly.Keeping<Boolean>() {
                    @Override
                    public boolean settled(Boolean forwarded) {
                        return forwarded;
                    }

                    @Override
                    public String encode(Boolean forwarded) {
                        return "success";
                    }
                }, keepFor);
    }

    /**
     * What WeChat's retries of one push share: its MsgId, or for events (which have none) the whole
     * event. Hashed, so no openid is kept in the store.
     */
    static String keyOf(PushVerifier.Verified push) {
        ObjectNode message = push.message();
        String msgId = PushVerifier.text(message, "MsgId");
        boolean event = "event".equals(PushVerifier.text(message, "MsgType"));
        // An event has no MsgId, and two of one kind from one user can share a second (two receipts): its
        // whole content is its identity, and WeChat's retries repeat it exactly.
        String parts = !event && msgId != null ? "msg\n" + msgId : "event\n" + message;
        return "push#" + push.appid() + "#" + sha256(parts).substring(0, 32);
    }

    private PushAnswer refused(String appid, PushRefused e) {
        // The reason names fields and limits only; a bad signature is routine on a public URL.
        LOG.infof("app %s: a push was refused (%d %s): %s", Masking.name(appid), e.status(), e.error(), e.getMessage());
        return error(e.status(), e.status() >= 500 ? "FAILED" : "INVALID", e.error(), e.field(), e.getMessage());
    }

    private PushAnswer error(int status, String outcome, String error, String field, String reason) {
        ObjectNode body = json.createObjectNode().put("status", outcome).put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        body.put("reason", reason);
        return new PushAnswer(status, PushAnswer.JSON, write(body));
    }

    private String write(ObjectNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** On a worker only when called on a Vert.x event loop (the server); Lambda's polling thread may block. */
    private static <T> Uni<T> blocking(Supplier<T> call) {
        return Uni.createFrom().deferred(() -> {
            Uni<T> uni = Uni.createFrom().item(call);
            return Context.isOnEventLoopThread() ? uni.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : uni;
        });
    }
}
