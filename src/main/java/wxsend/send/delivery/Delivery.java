package wxsend.send.delivery;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import wxsend.send.message.Api;
import wxsend.send.outcome.Errcodes;
import wxsend.send.outcome.Status;
import wxsend.send.outcome.Verdict;
import wxsend.token.AccessToken;
import wxsend.token.TokenProvider;
import wxsend.token.TokenUnavailableException;

/**
 * Posts one message until WeChat gives a final answer: a refused token is replaced once,
 * transient failures are retried with jittered exponential backoff, bounded both in number
 * and by the time budget, a failure after the request was written ends as UNKNOWN (never
 * retried, so never sent twice; template/send excepted, as it de-duplicates by client_msg_id),
 * and every other errcode ends the attempt as REJECTED. Once any attempt may have reached WeChat
 * (or an earlier run of the same send may have), only SENT or WeChat's refusal of the message
 * itself stands; every other end is UNKNOWN, kept, so no later retry posts it again.
 */
final class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    /** Thrown inside the retry loop for an answer worth another try; never leaves this class. */
    private static final class Retryable extends RuntimeException {
        Retryable() {
            super(null, null, false, false);
        }
    }

    private final TokenProvider tokens;
    private final MessageGateway wechat;
    private final String appid;
    private final Api api;
    private final String body;
    private final int maxAttempts;
    private final Gate gate;
    /** An attempt, or an earlier run, may have reached WeChat; what made it so. */
    private boolean mayHaveArrived;
    private String doubt;
    /** The last verdict is WeChat's refusal of the message itself, which holds for every attempt. */
    private boolean refusedByWeChat;
    /** Calls to the send API, reported as attempts. */
    private int attempts;
    /** Rounds of the retry loop, token fetches included: what SEND_MAX_ATTEMPTS bounds. */
    private int tries;
    private Reply lastReply;
    /** No call starts after this; waiting for a token ends by then too. */
    private long retryUntil = Long.MAX_VALUE;
    private String lastProblem;

    /**
     * @param resumed an earlier run of the same send may have posted it
     */
    Delivery(TokenProvider tokens, MessageGateway wechat, String appid, Api api, String body, int maxAttempts, Gate gate,
            boolean resumed) {
        this.gate = gate;
        this.mayHaveArrived = resumed;
        this.doubt = resumed ? "an earlier run of this request began and never finished" : null;
        this.tokens = tokens;
        this.wechat = wechat;
        this.appid = appid;
        this.api = api;
        this.body = body;
        this.maxAttempts = maxAttempts;
    }

    /**
     * @param retryUntil epoch millis after which no retry starts (the budget less one call's timeout)
     */
    Uni<Verdict> run(Duration initialBackoff, Duration maxBackoff, long retryUntil) {
        this.retryUntil = retryUntil;
        return Uni.createFrom().deferred(() -> {
            tries++;
            return once(true);
        })
                .onFailure(failure -> failure instanceof Retryable && tries < maxAttempts)
                .retry().withBackOff(initialBackoff, maxBackoff).withJitter(0.5).expireAt(retryUntil)
                .onFailure().recoverWithItem(this::failed)
                .onItem().transform(outcome -> outcome.via() == null ? outcome.via(api.label(), null) : outcome)
                .onItem().transform(this::honest);
    }

    /** An end that says nothing of an earlier attempt that may have arrived becomes UNKNOWN: kept, never posted again. */
    private Verdict honest(Verdict verdict) {
        if (!mayHaveArrived || verdict.status() == Status.SENT || verdict.status() == Status.UNKNOWN || refusedByWeChat) {
            return verdict;
        }
        return new Verdict(Status.UNKNOWN, appid, verdict.via(), verdict.errcode(), verdict.errmsg(), null, verdict.attempts(),
                "WeChat may have delivered it (" + doubt + "), and the end (" + verdict.status() + ": " + verdict.reason()
                        + ") does not say otherwise, so it is not sent again");
    }

    private Uni<Verdict> once(boolean mayReplaceToken) {
        return tokens.current(appid, retryUntil)
                .onItem().transformToUni(token -> post(token, mayReplaceToken))
                .onFailure(TokenUnavailableException.class).recoverWithUni(e -> tokenUnavailable((TokenUnavailableException) e));
    }

    private Uni<Verdict> post(AccessToken token, boolean mayReplaceToken) {
        if (mayHaveArrived && System.currentTimeMillis() >= retryUntil) {
            // Once a copy may have arrived, a late post may be a second copy: a token wait or refresh can
            // outlast the deadline, and a resumed template/send's deadline is the end of WeChat's 10
            // minutes, after which a repeat is no longer dropped. (A fresh send's first post always goes.)
            lastProblem = "the deadline passed before the post could start";
            return Uni.createFrom().failure(new Retryable());
        }
        // The first post waits for the claim to say the send has begun; a closed gate sends nothing.
        return gate.beforeFirstPost()
                .onItem().transformToUni(ignored -> postNow(token, mayReplaceToken))
                .onFailure(Gate.Closed.class).recoverWithItem(e -> Verdict.of(Status.FAILED, appid, attempts,
                        e.getMessage() + "; nothing was sent"));
    }

    private Uni<Verdict> postNow(AccessToken token, boolean mayReplaceToken) {
        attempts++;
        return wechat.post(appid, api, token.value(), body).onItem().transformToUni(reply -> {
            lastReply = reply;
            lastProblem = null;
            refusedByWeChat = false;
            ErrorKind kind = reply.kind();
            if (kind == ErrorKind.AMBIGUOUS) {
                mayHaveArrived = true;
                doubt = reply.describe();
            }
            return switch (kind) {
                case OK -> Uni.createFrom().item(outcome(Status.SENT, reply, null));
                case PERMANENT -> {
                    refusedByWeChat = Errcodes.refusesTheMessage(reply.errcode());
                    yield Uni.createFrom().item(outcome(Status.REJECTED, reply, Errcodes.reason(reply.errcode(), reply.errmsg())));
                }
                case TRANSIENT -> Uni.createFrom().failure(new Retryable());
                // template/send drops a repeat of the same client_msg_id (for 10 minutes), so only there
                // is a retry safe when WeChat may already have the message.
                case AMBIGUOUS -> api.dropsRepeats() ? Uni.createFrom().failure(new Retryable())
                        : Uni.createFrom().item(outcome(Status.UNKNOWN, reply, reply.describe()
                                + ": WeChat may have delivered it, and " + api.label() + " cannot drop a repeat, so it is not sent again"));
                case TOKEN -> mayReplaceToken
                        ? tokens.refused(appid, token).onItem().transformToUni(ignored -> once(false))
                        : Uni.createFrom().item(outcome(Status.REJECTED, reply,
                                "access_token refused again after one refresh: another system may be fetching tokens for this app"));
            };
        });
    }

    private Uni<Verdict> tokenUnavailable(TokenUnavailableException e) {
        lastProblem = e.getMessage();
        if (e.isTransient()) {
            return Uni.createFrom().failure(new Retryable());
        }
        String meaning = Errcodes.meaning(e.errcode());
        return Uni.createFrom().item(new Verdict(Status.REJECTED, appid, null, e.errcode(), e.errmsg(), null, attempts,
                e.getMessage() + (meaning == null ? "" : ": " + meaning)));
    }

    private Verdict failed(Throwable failure) {
        boolean retried = failure instanceof Retryable || failure.getCause() instanceof Retryable;
        if (!retried) {
            LOG.errorf(failure, "delivery for app %s ended unexpectedly", appid);
            return Verdict.of(Status.FAILED, appid, attempts, "unexpected " + failure.getClass().getSimpleName());
        }
        String why = tries >= maxAttempts ? "gave up after " + tries + " tries" : "time budget spent";
        if (lastProblem != null || lastReply == null) {
            return Verdict.of(Status.FAILED, appid, attempts, why + ": " + (lastProblem != null ? lastProblem : "no call was made"));
        }
        return outcome(Status.FAILED, lastReply, why + ": " + lastReply.describe());
    }

    private Verdict outcome(Status status, Reply reply, String reason) {
        Integer errcode = reply.errcode();
        if (reason == null && status != Status.SENT) {
            reason = reply.describe();
        }
        if (status == Status.REJECTED && reply.transportProblem() == null && errcode == null) {
            reason = "WeChat answered HTTP " + reply.httpStatus();
        }
        return new Verdict(status, appid, api.label(), errcode, reply.errmsg(), reply.msgid(), attempts, reason);
    }
}
