package wxsend.broadcast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import wxsend.broadcast.Ledger.Mark;
import wxsend.send.BatchService;
import wxsend.send.ChunkBatch;
import wxsend.send.outcome.Errcodes;
import wxsend.send.outcome.RecipientResult;

/**
 * One delivery of one chunk, a window of sends at a time. Each window is claimed in the chunk's
 * ledger before any of it is posted, in the same write that settles the window before it; the
 * last write settles the last window and, once every recipient has a final mark, counts the
 * chunk. At most one window's sends are ever in flight unsettled, so a delivery killed mid-chunk
 * leaves at most those for the next delivery to take over ({@link wxsend.send.BatchService#sendSome}).
 * Recipients that failed for a while stay open and are not tried again in this delivery.
 */
final class ChunkRun {

    /** Why a delivery stopped before every recipient had a final mark. */
    enum Stop {
        NONE,
        /** 45009: the app's daily quota. */
        DAILY,
        /** 45011: the app's minute quota. */
        MINUTE,
        /** The time budget ran out before the next window. */
        BUDGET,
        /** Some sends failed for a while (FAILED): the message comes back after the visibility timeout. */
        FAILED
    }

    /** How the delivery ended: the ledger as last written, and what the chunk's message must do. */
    record Ending(Ledger ledger, Stop stop, Map<String, Long> settledNow, int open, String reason) {
    }

    /** What a run needs from its surroundings. */
    record Context(BatchService batches, ChunkLedgers ledgers, FailureReport report, ObjectMapper json, Clock clock,
            int window, Duration claimFor, Duration keep) {
    }

    private final Context context;
    private final Broadcast broadcast;
    private final int seq;
    private final ArrayNode recipients;
    private final ChunkBatch chunk;
    private final long started = System.currentTimeMillis();
    private final String owner = UUID.randomUUID().toString();
    private final int firstVersion;
    private Ledger ledger;
    /** The claims a dead delivery left: taken over first, as of when it claimed them. */
    private List<Integer> takeover;
    private final Map<Integer, Mark> pending = new TreeMap<>();
    private final Map<Integer, Integer> pendingCodes = new HashMap<>();
    private final Set<Integer> tried = new HashSet<>();
    private final Map<String, Long> settledNow = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private Stop stop = Stop.NONE;
    private String reason;

    ChunkRun(Context context, Broadcast broadcast, int seq, ArrayNode recipients, ChunkBatch chunk, Ledger ledger) {
        this.context = context;
        this.broadcast = broadcast;
        this.seq = seq;
        this.recipients = recipients;
        this.chunk = chunk;
        this.ledger = ledger;
        this.firstVersion = ledger.version();
        this.takeover = ledger.indices(Mark.CLAIMED);
        for (int i = 0; i < chunk.size(); i++) {
            if (chunk.repeatOf(i) >= 0 && ledger.mark(i) == Mark.OPEN) {
                settle(i, Mark.REPEAT, null, line(i, Mark.REPEAT).put("reason", "the same openid is recipient "
                        + chunk.repeatOf(i) + " of this chunk: sent to once, there").toString());
            }
        }
    }

    /** Fails with {@link ChunkDelivery.Unfinished} when another delivery wrote the ledger first. */
    Uni<Ending> run() {
        return next();
    }

    private Uni<Ending> next() {
        List<Integer> window = new ArrayList<>();
        Optional<Instant> since = Optional.empty();
        if (stop == Stop.NONE && !takeover.isEmpty()) {
            window.addAll(takeover.subList(0, Math.min(takeover.size(), context.window())));
            takeover = takeover.subList(window.size(), takeover.size());
            // Claims with no claim time (written by hand, or by a fault) are as old as can be: not posted again.
            since = Optional.of(ledger.claimedAt() == null ? Instant.EPOCH : ledger.claimedAt());
        } else if (stop == Stop.NONE) {
            for (int i = 0; i < ledger.size() && window.size() < context.window(); i++) {
                if (ledger.mark(i) == Mark.OPEN && !pending.containsKey(i) && !tried.contains(i)) {
                    window.add(i);
                }
            }
        }
        if (window.isEmpty()) {
            return finish();
        }
        Instant now = context.clock().instant();
        // A window taken over keeps the time it was first claimed: WeChat's 10 minutes of dropping a repeated
        // client_msg_id run from the first post, and a third delivery must still count from there.
        Ledger claimed = ledger.next(pending, pendingCodes, window, owner, since.orElse(now), now.plus(context.claimFor()));
        Optional<Instant> resumedSince = since;
        return blocking(() -> context.ledgers().write(broadcast.id(), seq, claimed, now.plus(context.keep())))
                .onItem().transformToUni(written -> {
                    if (!written) {
                        return Uni.createFrom().failure(lost());
                    }
                    ledger = claimed;
                    pending.clear();
                    pendingCodes.clear();
                    tried.addAll(window);
                    return context.batches().sendSome(chunk, broadcast.id(), window, resumedSince, started)
                            .onItem().transformToUni(results -> {
                                results.forEach(this::absorb);
                                return next();
                            });
                });
    }

    private void absorb(RecipientResult result) {
        Integer errcode = result.errcode();
        boolean daily = Integer.valueOf(Errcodes.DAILY_QUOTA).equals(errcode);
        Mark mark = switch (result.status()) {
            case SENT -> Mark.SENT;
            // 45009 is a verdict on the day, not on the message: the recipient stays open.
            case REJECTED -> daily ? Mark.OPEN : Mark.REJECTED;
            case UNKNOWN -> Mark.UNKNOWN;
            case INVALID -> Mark.INVALID;
            default -> Mark.OPEN;
        };
        if (daily) {
            stop = Stop.DAILY;
        } else if (Integer.valueOf(Errcodes.MINUTE_QUOTA).equals(errcode) && stop != Stop.DAILY) {
            stop = Stop.MINUTE;
        } else if (result.status() == wxsend.send.outcome.Status.NOT_ATTEMPTED && stop == Stop.NONE) {
            stop = Stop.BUDGET;
        } else if (result.status() == wxsend.send.outcome.Status.FAILED && stop == Stop.NONE) {
            reason = result.reason();
        }
        boolean failed = mark != Mark.OPEN && mark != Mark.SENT;
        settle(result.index(), mark, failed ? errcode : null, failed ? failure(result.index(), mark, result) : null);
    }

    /** @param report the failures report's line for it, or null when it has none (SENT, still open) */
    private void settle(int index, Mark mark, Integer errcode, String report) {
        pending.put(index, mark);
        if (errcode != null) {
            pendingCodes.put(index, errcode);
        }
        if (mark != Mark.OPEN) {
            settledNow.merge(mark.name(), 1L, Long::sum);
        }
        if (report != null) {
            failures.add(report);
        }
    }

    /** One line of the failures report: the whole openid (the user's own data, in the user's bucket) and why. */
    private String failure(int index, Mark mark, RecipientResult result) {
        ObjectNode line = line(index, mark);
        if (result.errcode() != null) {
            line.put("errcode", result.errcode());
        }
        if (result.errmsg() != null) {
            line.put("errmsg", result.errmsg());
        }
        if (result.reason() != null) {
            line.put("reason", result.reason());
        }
        return line.toString();
    }

    private ObjectNode line(int index, Mark mark) {
        return context.json().createObjectNode().put("touser", recipients.get(index).path("touser").asText())
                .put("status", mark.name()).put("chunk", seq).put("index", index);
    }

    /** The last write: the last window settled, no claim left, and the chunk counted once it is complete. */
    private Uni<Ending> finish() {
        Instant now = context.clock().instant();
        Ledger last = ledger.next(pending, pendingCodes, List.of(), owner, now, now);
        if (stop == Stop.NONE && !last.complete()) {
            stop = Stop.FAILED;
        }
        int open = last.indices(Mark.OPEN).size();
        Ending ending = new Ending(last, stop, settledNow, open, reason);
        // Written before the marks: a crash in between rewrites the same object on redelivery.
        writeReport();
        Uni<Boolean> written = last.complete()
                ? blocking(() -> context.ledgers().settle(broadcast.id(), seq, last, last.counts(), now.plus(context.keep())))
                        .onFailure(BroadcastStoreException::isContended).retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(500))
                        .atMost(8)
                : blocking(() -> context.ledgers().write(broadcast.id(), seq, last, now.plus(context.keep())));
        return written.onItem().transformToUni(ok -> ok ? Uni.createFrom().item(ending) : Uni.createFrom().failure(lost()));
    }

    private void writeReport() {
        if (failures.isEmpty()) {
            return;
        }
        try {
            // Named by the ledger's version this delivery began from: a delivery run again from there replaces it.
            context.report().write(broadcast.id(), "chunk-" + seq + "." + firstVersion, failures);
        } catch (FailureReportException e) {
            org.jboss.logging.Logger.getLogger(ChunkRun.class).warnf("broadcast %s: %s", broadcast.id(), e.getMessage());
        }
    }

    private ChunkDelivery.Unfinished lost() {
        return new ChunkDelivery.Unfinished("chunk " + seq + " of " + broadcast.id() + ": another delivery of it wrote its "
                + "ledger first; this one stops, and what it sent is settled by the ledger's claim");
    }

    private static <T> Uni<T> blocking(java.util.function.Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    static String fingerprint(JsonNode recipients) {
        return wxsend.send.delivery.Hashes.sha256(recipients.toString()).substring(0, 16);
    }
}
