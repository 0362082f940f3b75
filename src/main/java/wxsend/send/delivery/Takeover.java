package wxsend.send.delivery;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import wxsend.send.outcome.Status;
import wxsend.send.outcome.Verdict;

/**
 * What a retry does when an earlier run of the same request claimed its key and never finished:
 * its invocation timed out, or the process died, perhaps after WeChat had the message.
 * <ul>
 * <li>template/send drops a repeat of the same client_msg_id for 10 minutes, so it is posted
 * again under the same id, but only while the whole delivery still ends inside those minutes, and
 * ends UNKNOWN unless WeChat answers for the message.</li>
 * <li>Everything else (uniform_send, subscribe/send, a uniform message that may have gone through
 * the fallback) cannot be de-duplicated by WeChat, so it ends UNKNOWN: kept and replayed to later
 * retries, never posted again. A gap the caller can see is better than a duplicate it cannot.</li>
 * </ul>
 */
@ApplicationScoped
public class Takeover {

    /** WeChat drops a repeated client_msg_id for this long after the first. */
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);

    private final Fallback delivery;
    private final Budget budget;

    Takeover(Fallback delivery, Budget budget) {
        this.delivery = delivery;
        this.budget = budget;
    }

    /** @param unfinishedSince when the earlier run claimed the key, shortly before it posted */
    public Uni<Verdict> resume(Job job, Instant unfinishedSince) {
        long repeatUntil = unfinishedSince.plus(REPEAT_WINDOW).toEpochMilli() - budget.oneCallMillis();
        if (job.message().api().dropsRepeats() && System.currentTimeMillis() < repeatUntil) {
            // Resumed: whatever this run gets short of SENT or WeChat's refusal of the message, the
            // earlier run's post may have arrived, so it ends UNKNOWN, never released to a later retry.
            return delivery.deliver(job.withRetryUntil(Math.min(job.retryUntil(), repeatUntil)).asResumed());
        }
        String why = job.message().api().dropsRepeats()
                ? "; WeChat drops a repeat of the same client_msg_id only for 10 minutes, and they have passed"
                : "; " + job.message().api().label() + " cannot drop a repeat";
        String began = Instant.EPOCH.equals(unfinishedSince) ? "at an unknown time" : "at " + unfinishedSince;
        return Uni.createFrom().item(Verdict.of(Status.UNKNOWN, job.app(), 0, "an earlier run of this request (same "
                + "idempotency key) began " + began + " and never finished, perhaps after WeChat had the "
                + "message" + why + ", so it is not sent again"));
    }
}
