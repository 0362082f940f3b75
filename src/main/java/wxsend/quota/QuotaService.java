package wxsend.quota;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import wxsend.config.Apps;
import wxsend.config.WxsendConfig;
import wxsend.metrics.Metrics;
import wxsend.send.message.Api;
import wxsend.send.delivery.ErrorKind;
import wxsend.send.outcome.Errcodes;
import wxsend.send.delivery.Reply;
import wxsend.token.TokenProvider;
import wxsend.token.TokenUnavailableException;

/**
 * How much of WeChat's daily quota each message API of an app has left (openapi/quota/get),
 * answered to the caller and printed as metrics (QuotaRemaining, QuotaUsed, QuotaDailyLimit by App
 * and Api), so that an alarm sees the day running out before 45009 pauses a broadcast. It never
 * calls clear_quota: WeChat rations that to a few resets a month, a decision for a person.
 */
@ApplicationScoped
public class QuotaService {

    /** WeChat's errcode when the API is not this kind of account's (a mini program asking for template/send). */
    static final int NOT_THIS_ACCOUNTS = 76022;

    private final Apps apps;
    private final TokenProvider tokens;
    private final QuotaGateway wechat;
    private final Metrics metrics;
    private final long budgetMillis;

    QuotaService(Apps apps, TokenProvider tokens, QuotaGateway wechat, Metrics metrics, WxsendConfig config) {
        this.apps = apps;
        this.tokens = tokens;
        this.wechat = wechat;
        this.metrics = metrics;
        this.budgetMillis = config.send().timeBudget().toMillis();
    }

    /** The quotas of {@code app} (the default app when null). */
    public Uni<QuotaAnswer> of(String app) {
        String appid = app == null ? apps.defaultAppid().orElse(null) : app;
        if (appid == null || !apps.isConfigured(appid)) {
            return Uni.createFrom().item(QuotaAnswer.refused(QuotaAnswer.Status.INVALID, appid,
                    appid == null ? "app: no app named and no default app (WECHAT_APPID)" : "app: " + appid + " is not configured"));
        }
        long deadline = System.currentTimeMillis() + budgetMillis;
        return tokens.current(appid, deadline)
                .onItem().transformToUni(token -> {
                    List<Uni<ApiQuota>> calls = new ArrayList<>();
                    for (Api api : Api.values()) {
                        String path = "/" + api.endpoint();
                        calls.add(wechat.quota(appid, token.value(), path).onItem().transform(reply -> read(api, path, reply)));
                    }
                    return Uni.join().all(calls).andFailFast();
                })
                .onItem().transform(quotas -> {
                    quotas.stream().filter(q -> q.remain() != null).forEach(
                            q -> metrics.quota(appid, q.api(), q.dailyLimit(), q.used(), q.remain()));
                    return new QuotaAnswer(QuotaAnswer.Status.OK, appid, quotas, null);
                })
                .onFailure(TokenUnavailableException.class).recoverWithItem(e -> tokenRefused(appid, (TokenUnavailableException) e));
    }

    /** A refusal (a wrong secret, 40164) is REJECTED with its fix; anything a retry may mend is UNAVAILABLE. */
    private static QuotaAnswer tokenRefused(String appid, TokenUnavailableException e) {
        if (e.isTransient() || e.errcode() == null) {
            return QuotaAnswer.refused(QuotaAnswer.Status.UNAVAILABLE, appid, "no access_token for " + appid + ": " + e.getMessage());
        }
        return QuotaAnswer.refused(QuotaAnswer.Status.REJECTED, appid, "WeChat refused " + appid + "'s token fetch: "
                + Errcodes.reason(e.errcode(), e.errmsg()));
    }

    private static ApiQuota read(Api api, String path, QuotaReply answer) {
        Reply reply = answer.reply();
        if (reply.kind() == ErrorKind.OK && answer.remain() != null) {
            return new ApiQuota(api.label(), path, answer.dailyLimit(), answer.used(), answer.remain(), null, null);
        }
        String reason = reply.errcode() != null && reply.errcode() == NOT_THIS_ACCOUNTS
                ? "not an API of this kind of account (76022): a mini program has no template/send or subscribe/bizsend,"
                        + " an official account no subscribe/send or uniform_send"
                : reply.errcode() != null && reply.errcode() != 0 ? Errcodes.reason(reply.errcode(), reply.errmsg())
                        : reply.describe();
        Integer errcode = reply.errcode() == null || reply.errcode() == 0 ? null : reply.errcode();
        return new ApiQuota(api.label(), path, null, null, null, errcode, reason);
    }
}
