package wxsend.send;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import wxsend.config.WxsendConfig;
import wxsend.idempotency.OnceOnly;
import wxsend.send.delivery.Fallback;
import wxsend.send.delivery.Gate;
import wxsend.send.delivery.Hashes;
import wxsend.send.delivery.Job;
import wxsend.send.delivery.Takeover;
import wxsend.send.message.UniformMessage;
import wxsend.send.outcome.Masking;
import wxsend.send.outcome.SendLog;
import wxsend.send.outcome.SendOutcome;
import wxsend.send.outcome.Status;
import wxsend.send.outcome.StoredResult;
import wxsend.send.outcome.Verdict;
import wxsend.token.TokenProvider;

/**
 * Sends one validated message at most once per idempotency key, and logs its line: the once-only
 * bookkeeping ({@link OnceOnly}) around the delivery ({@link Fallback}, or {@link Takeover} after
 * an unfinished earlier run), with the outcome mapped to the caller's answer. Singles and each
 * recipient of a batch come through here. A message without a key is simply delivered.
 */
@ApplicationScoped
class Sender {

    private static final Logger LOG = Logger.getLogger(Sender.class);

    private final OnceOnly onceOnly;
    private final Fallback delivery;
    private final Takeover takeover;
    private final Duration ttl;
    private final Duration autoKeyWindow;
    private final Hashes hashes;
    private final SendLog log;
    private final OnceOnly.Keeping<Verdict> keeping;
    private final ObjectMapper json;
    private final TokenProvider tokens;
    private final Duration sendBudget;

    Sender(OnceOnly onceOnly, Fallback delivery, Takeover takeover, Hashes hashes, SendLog log, ObjectMapper json,
            WxsendConfig config, TokenProvider tokens) {
        this.tokens = tokens;
        this.sendBudget = config.send().timeBudget();
        this.onceOnly = onceOnly;
        this.delivery = delivery;
        this.takeover = takeover;
        this.ttl = config.idempotency().ttl();
        this.autoKeyWindow = config.idempotency().autoKeyWindow();
        this.hashes = hashes;
        this.log = log;
        this.json = json;
        this.keeping = new OnceOnly.Keeping<>() {
            @Override
            public boolean settled(Verdict verdict) {
                return verdict.settled();
            }

            @Override
            public String encode(Verdict verdict) {
                return StoredResult.encode(json, verdict);
            }
        };
    }

    Uni<SendOutcome> send(Job job) {
        Uni<SendOutcome> answer = job.key() == null
                ? delivery.deliver(job).onItem().transform(verdict -> SendOutcome.of(verdict, null, null))
                : onceOnly.run(job.recordId(), hashes.of(job.app(), job.content()), postsAtOnce(job),
                        holding -> run(job.withGate(gate(holding)), holding.unfinishedSince()),
                        keeping, job.derivedKey() ? autoKeyWindow : ttl)
                        .onItem().transform(result -> answer(result, job));
        return answer
                .onFailure().recoverWithItem(e -> unexpected(e, job))
                .invoke(outcome -> log.record(job.requestId(), outcome, job.message().touser(), job.started()));
    }

    private Uni<Verdict> run(Job job, Optional<Instant> unfinishedSince) {
        return unfinishedSince.isPresent() ? takeover.resume(job, unfinishedSince.get()) : delivery.deliver(job);
    }

    /**
     * Whether the send would post as soon as it holds its key: its tokens are in memory, so nothing
     * between the claim and the post waits on a store or WeChat. Then the claim itself says the send
     * has begun. Otherwise (a cold instance, a token to refresh) the claim says not yet, and one more
     * write marks it just before the first post: a send that fails or dies before then is sent by
     * its retry instead of being UNKNOWN for ever.
     */
    private boolean postsAtOnce(Job job) {
        if (!tokens.ready(job.app(), sendBudget)) {
            return false;
        }
        // A uniform message may go through its official account's template/send, with that account's token.
        return !(job.message() instanceof UniformMessage uniform) || uniform.mpTemplateMsg() == null
                || tokens.ready(uniform.mpTemplateMsg().appid(), sendBudget);
    }

    private static Gate gate(OnceOnly.Holding holding) {
        return () -> holding.beforeFirstAttempt().onFailure(OnceOnly.NotMarked.class)
                .transform(e -> new Gate.Closed(e.getMessage()));
    }

    /**
     * Sends one message with no idempotency record of its own: its caller (a broadcast chunk's
     * ledger) claimed it and records what became of it. After an earlier claim that never settled,
     * it is a takeover, as for a keyed send.
     */
    Uni<SendOutcome> sendUnrecorded(Job job, Optional<Instant> unfinishedSince) {
        return run(job, unfinishedSince).onItem().transform(v -> SendOutcome.of(v, job.key(), null))
                .onFailure().recoverWithItem(e -> unexpected(e, job))
                .invoke(outcome -> log.record(job.requestId(), outcome, job.message().touser(), job.started()));
    }

    private SendOutcome answer(OnceOnly.Result<Verdict> result, Job job) {
        if (result instanceof OnceOnly.Ran<Verdict> ran) {
            return SendOutcome.of(ran.value(), job.key(), null);
        }
        if (result instanceof OnceOnly.Replayed<Verdict> replayed) {
            return SendOutcome.of(stored(replayed.stored(), job), job.key(), true);
        }
        if (result instanceof OnceOnly.Busy<Verdict>) {
            return SendOutcome.of(Verdict.of(Status.IN_PROGRESS, job.app(), 0,
                    "a request with this idempotency key is being sent right now; nothing was sent"), job.key(), null);
        }
        if (result instanceof OnceOnly.Conflict<Verdict>) {
            return SendOutcome.of(Verdict.of(Status.REJECTED, job.app(), 0,
                    "this idempotency key was used for a different request; nothing was sent"), job.key(), null);
        }
        String why = ((OnceOnly.Unavailable<Verdict>) result).why();
        return SendOutcome.of(Verdict.of(Status.FAILED, job.app(), 0,
                "the idempotency store could not be reached (" + why + "), so nothing was sent; retry later"), job.key(), null);
    }

    /**
     * A stored verdict. One this version cannot read was still settled (only settled verdicts are
     * stored), so it is answered UNKNOWN, never sent again, rather than FAILED until it expires.
     */
    private Verdict stored(String text, Job job) {
        return StoredResult.decode(json, text).orElseGet(() -> {
            LOG.warnf("the stored result for app %s, key %s is unreadable by this version; answered UNKNOWN", job.app(),
                    Masking.name(job.key()));
            return Verdict.of(Status.UNKNOWN, job.app(), 0, "an earlier request with this idempotency key was settled, but its "
                    + "stored result cannot be read by this version of wxsend; nothing was sent this time");
        });
    }

    private static SendOutcome unexpected(Throwable e, Job job) {
        LOG.errorf(e, "a send for app %s ended unexpectedly", job.app());
        return SendOutcome.of(Verdict.of(Status.FAILED, job.app(), 0, "unexpected " + e.getClass().getSimpleName()), job.key(),
                null);
    }
}
