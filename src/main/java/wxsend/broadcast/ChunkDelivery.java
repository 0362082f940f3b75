package wxsend.broadcast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
import wxsend.broadcast.Ledger.Mark;
import wxsend.config.WxsendConfig;
import wxsend.metrics.Metrics;
import wxsend.send.BatchService;

/**
 * Delivers one chunk of a broadcast against its ledger ({@link ChunkRun}), so a chunk delivered
 * twice, redriven, or killed half-way reaches nobody twice, and is counted once. What WeChat's
 * limits leave unsent goes back on the queue, the same chunk again, delayed:
 * <ul>
 * <li>45011 (the minute quota): after BROADCAST_QUOTA_DELAY, not in a retry storm;</li>
 * <li>45009 (the daily quota): the broadcast pauses until WeChat's next day (UTC+8), and chunks
 * that arrive meanwhile go back too, re-queued rather than failed, so a day of pause never
 * spends the redrive limit;</li>
 * <li>a time budget spent: at once, since the ledger holds what was done.</li>
 * </ul>
 * Sends that failed for a while fail the message: it comes back after the visibility timeout,
 * and after the redrive limit it is in the dead-letter queue. A cancelled broadcast's chunks
 * mark whoever is still open CANCELLED, and are counted with those already sent.
 */
@ApplicationScoped
public class ChunkDelivery {

    private static final Logger LOG = Logger.getLogger(ChunkDelivery.class);
    /** WeChat's day for quotas is Beijing's: UTC+8, no daylight saving. */
    private static final ZoneOffset WECHAT_DAY = ZoneOffset.ofHours(8);
    /**
     * A record or ledger older than this, since it was last kept, is kept again: BROADCAST_KEEP
     * counts from that moment, and covers any chunk copy enqueued since.
     */
    static final Duration KEEP_AGAIN_AFTER = Duration.ofDays(7);

    /** The chunk must come back: reported as a batch item failure. */
    public static final class Unfinished extends RuntimeException {
        Unfinished(String message) {
            super(message, null, false, false);
        }
    }

    private final Instance<BroadcastStore> store;
    private final Instance<ChunkLedgers> ledgers;
    private final Instance<ChunkQueue> queue;
    private final Instance<FailureReport> report;
    private final BatchService batches;
    private final ObjectMapper json;
    private final Metrics metrics;
    private final WxsendConfig config;
    private final Clock clock = Clock.systemUTC();

    ChunkDelivery(BatchService batches, Instance<BroadcastStore> store, Instance<ChunkLedgers> ledgers,
            Instance<ChunkQueue> queue, ObjectMapper json, WxsendConfig config, Metrics metrics, Instance<FailureReport> report) {
        this.batches = batches;
        this.store = store;
        this.ledgers = ledgers;
        this.queue = queue;
        this.json = json;
        this.config = config;
        this.metrics = metrics;
        this.report = report;
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
        if (id == null || recipients == null || !recipients.isArray() || recipients.isEmpty() || seq < 0 || chunk.has("part")) {
            return Uni.createFrom().failure(new IllegalArgumentException("a chunk needs broadcast, seq and recipients"
                    + (chunk.has("part") ? ", and one with a part was queued by an earlier version: see README, Upgrading" : "")));
        }
        long since = chunk.path("since").asLong(0);
        return blocking(() -> {
            Broadcast found = store.get().get(id).orElseThrow(() -> new IllegalArgumentException("no broadcast " + Broadcast.named(id)));
            Instant now = clock.instant();
            if (found.keepUntil() != null && found.keepUntil().isBefore(now.plus(config.broadcast().keep()).minus(KEEP_AGAIN_AFTER))) {
                store.get().keep(id, now.plus(config.broadcast().keep()));
            }
            return found;
        }).onItem().transformToUni(found -> deliver(found, seq, since, (ArrayNode) recipients));
    }

    private Uni<Void> deliver(Broadcast broadcast, int seq, long since, ArrayNode recipients) {
        Instant now = clock.instant();
        if (broadcast.pausedUntil() != null && broadcast.pausedUntil().isAfter(now) && !broadcast.cancelled()) {
            return blocking(() -> {
                long kept = since;
                if (Instant.ofEpochMilli(since).isBefore(now.minus(KEEP_AGAIN_AFTER))) {
                    ledgers.get().keep(broadcast.id(), seq, now.plus(config.broadcast().keep()));
                    kept = now.toEpochMilli();
                }
                requeue(broadcast.id(), seq, kept, recipients, until(broadcast.pausedUntil()));
                metrics.broadcastChunk(broadcast.app(), broadcast.id(), "paused", Map.of(), recipients.size());
                return null;
            }).replaceWithVoid();
        }
        ObjectNode batch;
        try {
            batch = (ObjectNode) json.readTree(broadcast.message());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("broadcast " + broadcast.id() + " holds no message", e));
        }
        batch.set("recipients", recipients);
        BatchService.ChunkRead read = batches.readChunk(batch, Math.max(recipients.size(), 1));
        if (read.chunk() == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("chunk " + seq + " of " + broadcast.id()
                    + " is invalid: " + read.errors()));
        }
        String fingerprint = ChunkRun.fingerprint(recipients);
        return blocking(() -> ledgers.get().read(broadcast.id(), seq).orElse(Ledger.fresh(fingerprint, recipients.size())))
                .onItem().transformToUni(ledger -> {
                    if (!ledger.fingerprint().equals(fingerprint) || ledger.size() != recipients.size()) {
                        return Uni.createFrom().<Void> failure(new IllegalArgumentException("chunk " + seq + " of "
                                + broadcast.id() + " does not hold the recipients its ledger was written for"));
                    }
                    if (ledger.counted()) {
                        metrics.broadcastChunk(broadcast.app(), broadcast.id(), "replayed", Map.of(), 0);
                        return Uni.createFrom().voidItem();
                    }
                    if (ledger.heldAt(clock.instant())) {
                        return Uni.createFrom().<Void> failure(new Unfinished("chunk " + seq + " of " + broadcast.id()
                                + " is being delivered by another sandbox right now"));
                    }
                    if (broadcast.cancelled()) {
                        return cancelled(broadcast, seq, ledger);
                    }
                    return new ChunkRun(context(), broadcast, seq, recipients, read.chunk(), ledger).run()
                            .onItem().transformToUni(ending -> blocking(() -> {
                                ended(broadcast, seq, recipients, ending);
                                return null;
                            })).replaceWithVoid();
                });
    }

    /** Whoever is still open is CANCELLED; a claim a dead delivery left may have been sent, so it is UNKNOWN. */
    private Uni<Void> cancelled(Broadcast broadcast, int seq, Ledger ledger) {
        Map<Integer, Mark> marks = new HashMap<>();
        ledger.indices(Mark.OPEN).forEach(i -> marks.put(i, Mark.CANCELLED));
        ledger.indices(Mark.CLAIMED).forEach(i -> marks.put(i, Mark.UNKNOWN));
        Instant now = clock.instant();
        Ledger last = ledger.next(marks, Map.of(), List.of(), null, now, now);
        return blocking(() -> ledgers.get().settle(broadcast.id(), seq, last, last.counts(), now.plus(config.broadcast().keep())))
                .onFailure(BroadcastStoreException::isContended).retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(500))
                .atMost(8)
                .onItem().transformToUni(counted -> {
                    if (!counted) {
                        return Uni.createFrom().<Void> failure(new Unfinished("chunk " + seq + " of " + broadcast.id()
                                + ": another delivery of it wrote its ledger first"));
                    }
                    Map<String, Long> counts = new HashMap<>();
                    marks.values().forEach(mark -> counts.merge(mark.name(), 1L, Long::sum));
                    metrics.broadcastChunk(broadcast.app(), broadcast.id(), "cancelled", counts, 0);
                    return Uni.createFrom().voidItem();
                });
    }

    /** What the chunk's message does after a delivery: acknowledged, re-queued, or failed to come back. */
    private void ended(Broadcast broadcast, int seq, ArrayNode recipients, ChunkRun.Ending ending) {
        String outcome = switch (ending.stop()) {
            case NONE -> "sent";
            case DAILY -> "paused";
            case MINUTE, BUDGET -> "requeued";
            case FAILED -> "retried";
        };
        metrics.broadcastChunk(broadcast.app(), broadcast.id(), outcome, ending.settledNow(), ending.open());
        long kept = clock.millis();
        switch (ending.stop()) {
            case NONE -> {
            }
            case DAILY -> {
                Instant until = nextWeChatDay(clock.instant());
                store.get().pause(broadcast.id(), until);
                LOG.infof("broadcast %s paused until %s: WeChat's daily quota for app %s ran out (45009)", broadcast.id(), until,
                        broadcast.app());
                requeue(broadcast.id(), seq, kept, recipients, until(until));
            }
            case MINUTE -> requeue(broadcast.id(), seq, kept, recipients, config.broadcast().quotaDelay());
            case BUDGET -> requeue(broadcast.id(), seq, kept, recipients, Duration.ZERO);
            case FAILED -> throw new Unfinished(ending.open() + " recipient(s) of chunk " + seq + " of " + broadcast.id()
                    + " not yet reached: " + ending.reason());
        }
    }

    private ChunkRun.Context context() {
        return new ChunkRun.Context(batches, ledgers.get(), report.get(), json, clock, config.batch().concurrency(),
                config.idempotency().inProgressExpiry(), config.broadcast().keep());
    }

    private void requeue(String id, int seq, long since, ArrayNode recipients, Duration delay) {
        queue.get().enqueue(List.of(Chunks.body(json, id, seq, since, recipients)), delay);
    }

    /** How long a chunk waits for the pause to end, at most BROADCAST_PAUSE_RECHECK. */
    private Duration until(Instant pausedUntil) {
        Duration left = Duration.between(clock.instant(), pausedUntil);
        Duration recheck = config.broadcast().pauseRecheck();
        return left.isNegative() ? Duration.ZERO : left.compareTo(recheck) > 0 ? recheck : left;
    }

    static Instant nextWeChatDay(Instant now) {
        return LocalDate.ofInstant(now, WECHAT_DAY).plusDays(1).atStartOfDay().toInstant(WECHAT_DAY);
    }

    private static <T> Uni<T> blocking(java.util.function.Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
