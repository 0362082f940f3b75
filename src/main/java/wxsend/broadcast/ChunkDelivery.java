package wxsend.broadcast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import wxsend.config.WxsendConfig;
import wxsend.metrics.Metrics;
import wxsend.send.BatchOutcome;
import wxsend.send.BatchService;
import wxsend.send.Errcodes;
import wxsend.send.KeyHint;
import wxsend.send.RecipientResult;
import wxsend.send.Status;

/**
 * Sends one chunk of a broadcast with the batch machinery, under the broadcast's key, so each
 * recipient's key is the broadcast's and its own: a redelivered or half-done chunk reaches only
 * those not yet reached. What WeChat's limits leave unsent goes back on the queue, delayed:
 * <ul>
 * <li>45011 (the minute quota): after BROADCAST_QUOTA_DELAY, not in a retry storm;</li>
 * <li>45009 (the daily quota): the broadcast pauses until WeChat's next day (UTC+8), and chunks
 * that arrive meanwhile go back too, re-queued rather than failed, so a day of pause never
 * spends the redrive limit.</li>
 * </ul>
 * Other transient failures fail the message: it comes back after the visibility timeout, and after
 * the redrive limit it is in the dead-letter queue. A cancelled broadcast's chunks are dropped and
 * counted CANCELLED. Each part of a chunk is counted once, however often it is delivered.
 */
@ApplicationScoped
public class ChunkDelivery {

    private static final Logger LOG = Logger.getLogger(ChunkDelivery.class);
    /** WeChat's day for quotas is Beijing's: UTC+8, no daylight saving. */
    private static final ZoneOffset WECHAT_DAY = ZoneOffset.ofHours(8);

    /** The chunk must come back: reported as a batch item failure. */
    public static final class Unfinished extends RuntimeException {
        Unfinished(String message) {
            super(message, null, false, false);
        }
    }

    private final BatchService batches;
    private final Instance<BroadcastStore> store;
    private final Instance<ChunkQueue> queue;
    private final ObjectMapper json;
    private final Metrics metrics;
    private final Instance<FailureReport> report;
    private final Duration quotaDelay;
    /** A paused chunk looks again at least this often: at most SQS's longest delay. */
    private final Duration pauseRecheck;
    private final Clock clock = Clock.systemUTC();

    ChunkDelivery(BatchService batches, Instance<BroadcastStore> store, Instance<ChunkQueue> queue, ObjectMapper json,
            WxsendConfig config, Metrics metrics, Instance<FailureReport> report) {
        this.metrics = metrics;
        this.report = report;
        this.batches = batches;
        this.store = store;
        this.queue = queue;
        this.json = json;
        this.quotaDelay = config.broadcast().quotaDelay();
        this.pauseRecheck = config.broadcast().pauseRecheck();
    }

    public static boolean isChunk(JsonNode body) {
        return Chunks.isChunk(body);
    }

    /** Fails with {@link Unfinished} when the chunk must come back, and with an IllegalArgumentException for a bad chunk. */
    public Uni<Void> deliver(JsonNode body) {
        JsonNode chunk = body.get("chunk");
        String id = chunk.path("broadcast").asText(null);
        JsonNode recipients = chunk.get("recipients");
        int seq = chunk.path("seq").asInt(-1);
        int part = chunk.path("part").asInt(0);
        if (id == null || recipients == null || !recipients.isArray() || recipients.isEmpty() || seq < 0) {
            return Uni.createFrom().failure(new IllegalArgumentException("a chunk needs broadcast, seq and recipients"));
        }
        return Uni.createFrom().item(() -> store.get().get(id)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItem().transformToUni(found -> found.isEmpty()
                        ? Uni.createFrom().<Void> failure(new IllegalArgumentException("no broadcast " + id))
                        : deliver(found.get(), seq, part, (ArrayNode) recipients));
    }

    private Uni<Void> deliver(Broadcast broadcast, int seq, int part, ArrayNode recipients) {
        Instant now = clock.instant();
        if (broadcast.cancelled()) {
            return blocking(() -> {
                store.get().count(broadcast.id(), seq + "." + part, Map.of("CANCELLED", (long) recipients.size()));
                metrics.broadcastChunk(broadcast.app(), broadcast.id(), "cancelled", Map.of("CANCELLED", (long) recipients.size()),
                        0);
            });
        }
        if (broadcast.pausedUntil() != null && broadcast.pausedUntil().isAfter(now)) {
            return blocking(() -> {
                requeue(broadcast.id(), seq, part, recipients, until(broadcast.pausedUntil()));
                metrics.broadcastChunk(broadcast.app(), broadcast.id(), "paused", Map.of(), recipients.size());
            });
        }
        ObjectNode batch;
        try {
            batch = (ObjectNode) json.readTree(broadcast.message());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("broadcast " + broadcast.id() + " holds no message", e));
        }
        batch.set("recipients", recipients);
        batch.put("idempotencyKey", broadcast.id());
        return batches.send(batch, KeyHint.none())
                .onItem().transformToUni(outcome -> blocking(() -> settle(broadcast, seq, part, recipients, outcome)));
    }

    private void settle(Broadcast broadcast, int seq, int part, ArrayNode recipients, BatchOutcome outcome) {
        if (outcome.status() == BatchOutcome.State.INVALID) {
            throw new IllegalArgumentException("chunk " + seq + " of " + broadcast.id() + " is invalid: " + outcome.reason());
        }
        Map<String, Long> counts = new HashMap<>();
        List<String> failures = new ArrayList<>();
        ArrayNode unfinished = json.createArrayNode();
        boolean dailyQuota = false;
        boolean minuteQuota = false;
        for (RecipientResult result : outcome.results()) {
            // The recipient that met 45009 ends REJECTED with it (a verdict on the day, not the message);
            // those after it are NOT_ATTEMPTED, unfinished like any retryable status.
            boolean daily = Integer.valueOf(Errcodes.DAILY_QUOTA).equals(result.errcode());
            if (result.status().retryable() || daily) {
                unfinished.add(recipients.get(result.index()));
                dailyQuota |= daily;
                minuteQuota |= Integer.valueOf(Errcodes.MINUTE_QUOTA).equals(result.errcode());
            } else {
                // Replays count too: this part of the chunk is counted once, whoever sent its recipients.
                counts.merge(result.status().name(), 1L, Long::sum);
                if (result.status() != Status.SENT) {
                    failures.add(failure(recipients.get(result.index()), result, seq + "." + part));
                }
            }
        }
        boolean failing = !unfinished.isEmpty() && !dailyQuota && !minuteQuota;
        if (!failing) {
            // Written before the count: a crash in between rewrites the same object on redelivery.
            writeReport(broadcast.id(), "chunk-" + seq + "." + part, failures);
        }
        if (!failing && !counts.isEmpty()) {
            // A part that fails comes back whole, and is counted when it ends.
            store.get().count(broadcast.id(), seq + "." + part, counts);
        }
        String settled = unfinished.isEmpty() ? "sent" : dailyQuota ? "paused" : minuteQuota ? "requeued" : "retried";
        metrics.broadcastChunk(broadcast.app(), broadcast.id(), settled, counts, unfinished.size());
        if (unfinished.isEmpty()) {
            return;
        }
        if (dailyQuota) {
            Instant until = nextWeChatDay(clock.instant());
            store.get().pause(broadcast.id(), until);
            LOG.infof("broadcast %s paused until %s: WeChat's daily quota for app %s ran out (45009)", broadcast.id(), until,
                    broadcast.app());
            requeue(broadcast.id(), seq, part + 1, unfinished, until(until));
        } else if (minuteQuota) {
            requeue(broadcast.id(), seq, part + 1, unfinished, quotaDelay);
        } else {
            throw new Unfinished(unfinished.size() + " recipient(s) of chunk " + seq + " of " + broadcast.id()
                    + " not yet reached: " + outcome.reason());
        }
    }

    /** One line of the failures report: the whole openid (the user's own data, in the user's bucket) and why. */
    private String failure(JsonNode recipient, RecipientResult result, String chunk) {
        ObjectNode line = json.createObjectNode();
        line.put("touser", recipient.path("touser").asText()).put("status", result.status().name());
        if (result.errcode() != null) {
            line.put("errcode", result.errcode());
        }
        if (result.errmsg() != null) {
            line.put("errmsg", result.errmsg());
        }
        if (result.reason() != null) {
            line.put("reason", result.reason());
        }
        return line.put("chunk", chunk).toString();
    }

    /** The report serves the list's owner; a failure to write it must not hold the sends up, so it is logged. */
    private void writeReport(String id, String name, List<String> lines) {
        try {
            report.get().write(id, name, lines);
        } catch (FailureReportException e) {
            LOG.warnf("broadcast %s: %s", id, e.getMessage());
        }
    }

    private void requeue(String id, int seq, int part, ArrayNode recipients, Duration delay) {
        queue.get().enqueue(List.of(Chunks.body(json, id, seq, part, recipients)), delay);
    }

    /** How long a chunk waits for the pause to end, at most BROADCAST_PAUSE_RECHECK. */
    private Duration until(Instant pausedUntil) {
        Duration left = Duration.between(clock.instant(), pausedUntil);
        return left.isNegative() ? Duration.ZERO : left.compareTo(pauseRecheck) > 0 ? pauseRecheck : left;
    }

    static Instant nextWeChatDay(Instant now) {
        return LocalDate.ofInstant(now, WECHAT_DAY).plusDays(1).atStartOfDay().toInstant(WECHAT_DAY);
    }

    private static Uni<Void> blocking(Runnable call) {
        return Uni.createFrom().item(() -> {
            call.run();
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
