package wxsend.send;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.smallrye.mutiny.Uni;
import wxsend.config.Apps;
import wxsend.config.WxsendConfig;
import wxsend.idempotency.Idempotency;
import wxsend.idempotency.IdempotencyStoreException;
import wxsend.token.TokenProvider;
import wxsend.wechat.Errcodes;
import wxsend.wechat.MessageApi;
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
     * @param officialAccountOpenid the recipient's openid for mp_template_msg's official account, if known
     */
    record Job(String app, Message message, String key, String requestId, long retryUntil, long started,
            Optional<String> officialAccountOpenid) {

        Job withKey(String idempotencyKey) {
            return new Job(app, message, idempotencyKey, requestId, retryUntil, started, officialAccountOpenid);
        }

        /** What identifies the request for its idempotency hash. */
        Object content() {
            return officialAccountOpenid.isEmpty() ? message : List.of(message, officialAccountOpenid.get());
        }
    }

    /** uniform_send's answers when WeChat has withdrawn it. */
    static final Set<Integer> RETIRED = Set.of(45103, 45109);

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
    private final long oneCallMillis;
    private final boolean fallback;
    private final Retirements retirements;
    private final Apps apps;

    Sender(TokenProvider tokens, WeChatClient wechat, Idempotency idempotency, ObjectMapper json, SendLog log,
            WxsendConfig config, Retirements retirements, Apps apps) {
        this.fallback = config.fallback().enabled();
        this.retirements = retirements;
        this.apps = apps;
        this.tokens = tokens;
        this.wechat = wechat;
        this.idempotency = idempotency;
        this.json = json;
        this.canonical = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.log = log;
        this.settings = config.send();
        this.oneCallMillis = config.wechat().connectTimeout().plus(config.wechat().readTimeout()).toMillis();
    }

    /** The last moment a call may start: the budget less one call's worst case, so it still ends in time. */
    long lastStart(long started) {
        return started + settings.timeBudget().toMillis() - oneCallMillis;
    }

    Uni<SendOutcome> send(Job job) {
        String id = job.app() + "#" + job.key();
        SendOutcome unrecorded = this.unrecorded.get(id);
        if (unrecorded != null) {
            return Uni.createFrom().item(unrecorded.asReplay().withKey(job.key()))
                    .invoke(outcome -> log.record(job.requestId(), outcome, job.message().touser(), job.started()));
        }
        return idempotency.begin(id, hash(job.app(), job.content()))
                .onItem().transformToUni(begin -> begin instanceof Idempotency.Proceed proceed
                        ? deliver(job).onItem().transformToUni(outcome -> finish(proceed.ticket(), outcome))
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

    /**
     * Posts the message to its API. A uniform message whose API WeChat has retired goes through the
     * official account's template/send instead, when it can: straight away once the retirement is known.
     */
    private Uni<SendOutcome> deliver(Job job) {
        Message message = job.message();
        UniformMessage.MpTemplateMsg mp = message instanceof UniformMessage uniform ? uniform.mpTemplateMsg() : null;
        if (fallback && mp != null && retirements.retired(job.app())) {
            return viaTemplate(job, mp, null);
        }
        Message posted = message instanceof TemplateMessage template ? template.withClientMsgId(clientMsgId(job)) : message;
        return post(job.app(), posted, job).onItem().transformToUni(outcome -> {
            if (fallback && mp != null && outcome.status() == Status.REJECTED && outcome.errcode() != null
                    && RETIRED.contains(outcome.errcode())) {
                retirements.retire(job.app());
                LOG.infof("app %s: uniform_send answered %d (retired); falling back to template/send", job.app(), outcome.errcode());
                return viaTemplate(job, mp, outcome);
            }
            return Uni.createFrom().item(outcome);
        });
    }

    /** @param retired uniform_send's own answer, or null when its retirement was already known */
    private Uni<SendOutcome> viaTemplate(Job job, UniformMessage.MpTemplateMsg mp, SendOutcome retired) {
        String account = mp.appid();
        int earlier = retired == null ? 0 : retired.attempts();
        String why = retired == null ? "uniform_send is retired for app " + job.app() + " (WeChat answered so recently)"
                : "uniform_send is retired (errcode " + retired.errcode() + ": " + Errcodes.meaning(retired.errcode()) + ")";
        if (!apps.isConfigured(account)) {
            return refuse(job.app(), retired, why + "; to send through template/send instead, configure the "
                    + "official account " + account + " (mp_template_msg.appid) with its secret");
        }
        if (job.officialAccountOpenid().isEmpty()) {
            return refuse(job.app(), retired, why + ", and template/send needs the recipient's openid for the "
                    + "official account " + account + ". touser is usually the mini program's, and openids differ per app, "
                    + "so wxsend does not reuse it: add officialAccountOpenid (the same user's openid for " + account
                    + ") to the request");
        }
        TemplateMessage template = TemplateMessage.of(mp, job.officialAccountOpenid().get()).withClientMsgId(clientMsgId(job));
        return post(account, template, job).onItem().transform(outcome -> outcome.plusAttempts(earlier));
    }

    private static Uni<SendOutcome> refuse(String app, SendOutcome retired, String reason) {
        SendOutcome refused = retired == null ? SendOutcome.of(Status.REJECTED, app, null, null, 0, reason)
                : SendOutcome.of(Status.REJECTED, app, retired.errcode(), retired.errmsg(), retired.attempts(), reason);
        return Uni.createFrom().item(refused.via(MessageApi.UNIFORM.label(), null));
    }

    private Uni<SendOutcome> post(String app, Message message, Job job) {
        return new Delivery(tokens, wechat, app, message.api(), write(json.writer(), message), settings.maxAttempts())
                .run(settings.initialBackoff(), settings.maxBackoff(), job.retryUntil());
    }

    /** template/send's own de-duplication key: fixed by the app and idempotency key, so a retry repeats it. */
    static String clientMsgId(Job job) {
        return sha256(job.app() + "#" + job.key()).substring(0, 32);
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
