package wxsend.send.delivery;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import wxsend.config.Apps;
import wxsend.config.WxsendConfig;
import wxsend.send.message.Api;
import wxsend.send.message.TemplateMessage;
import wxsend.send.message.UniformMessage;
import wxsend.send.outcome.Errcodes;
import wxsend.send.outcome.Status;
import wxsend.send.outcome.Verdict;

/**
 * The rule for a withdrawn uniform_send: when WeChat answers 45109 or 45103 for a uniform message
 * with mp_template_msg, the same content goes once through the official account's template/send,
 * with the account's own token, if the account is configured and the request names the
 * recipient's openid for it. The retirement is remembered, so later messages skip uniform_send.
 * Every other message is posted as it is.
 */
@ApplicationScoped
public class Fallback {

    private static final Logger LOG = Logger.getLogger(Fallback.class);

    private final Posting posting;
    private final Retirements retirements;
    private final Apps apps;
    private final boolean enabled;
    private final Set<String> offFor;

    Fallback(Posting posting, Retirements retirements, Apps apps, WxsendConfig config) {
        this.posting = posting;
        this.retirements = retirements;
        this.apps = apps;
        this.enabled = config.fallback().enabled();
        this.offFor = config.fallback().offFor().orElse(Set.of());
    }

    public Uni<Verdict> deliver(Job job) {
        UniformMessage.MpTemplateMsg mp = job.message() instanceof UniformMessage uniform ? uniform.mpTemplateMsg() : null;
        if (!enabled || mp == null || offFor.contains(job.app())) {
            return posting.post(job.app(), job.message(), job);
        }
        if (retirements.retired(job.app())) {
            return viaTemplate(job, mp, null);
        }
        return posting.post(job.app(), job.message(), job).onItem().transformToUni(verdict -> {
            if (verdict.status() == Status.REJECTED && verdict.errcode() != null && Errcodes.RETIRED.contains(verdict.errcode())) {
                retirements.retire(job.app());
                LOG.infof("app %s: uniform_send answered %d (retired); falling back to template/send", job.app(), verdict.errcode());
                return viaTemplate(job, mp, verdict);
            }
            return Uni.createFrom().item(verdict);
        });
    }

    /** @param retired uniform_send's own answer, or null when its retirement was already known */
    private Uni<Verdict> viaTemplate(Job job, UniformMessage.MpTemplateMsg mp, Verdict retired) {
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
        TemplateMessage template = TemplateMessage.of(mp, job.officialAccountOpenid().get());
        return posting.post(account, template, job).onItem().transform(verdict -> verdict.plusAttempts(earlier));
    }

    private static Uni<Verdict> refuse(String app, Verdict retired, String reason) {
        Verdict refused = retired == null ? Verdict.of(Status.REJECTED, app, 0, reason)
                : new Verdict(Status.REJECTED, app, null, retired.errcode(), retired.errmsg(), null, retired.attempts(), reason);
        return Uni.createFrom().item(refused.via(Api.UNIFORM.label(), null));
    }
}
