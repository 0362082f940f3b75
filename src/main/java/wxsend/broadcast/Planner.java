package wxsend.broadcast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
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
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import wxsend.config.WxsendConfig;
import wxsend.send.outcome.FieldError;
import wxsend.send.request.RecipientRules;

/**
 * Plans a broadcast whose recipients are an S3 object of JSON Lines, one step per plan message:
 * it streams the object from the checkpoint's byte offset (never the whole object in memory),
 * checks each line as a batch recipient, queues chunks ten to a call, and moves the checkpoint
 * on after each group. When its step's budget is spent it queues the next plan message from the
 * checkpoint, so a million lines never depend on one invocation. A step run twice moves the
 * checkpoint once, and chunks queued twice reach nobody twice. A bad line is counted INVALID and
 * logged with its line number; the others go on.
 */
@ApplicationScoped
public class Planner {

    private static final Logger LOG = Logger.getLogger(Planner.class);

    private final Instance<BroadcastStore> store;
    private final Instance<ChunkQueue> queue;
    private final Instance<RecipientSource> source;
    private final Instance<FailureReport> report;
    private final ObjectMapper json;
    private final int chunkSize;
    private final long linesPerStep;
    private final Duration stepBudget;

    Planner(Instance<BroadcastStore> store, Instance<ChunkQueue> queue, Instance<RecipientSource> source,
            Instance<FailureReport> report, ObjectMapper json, WxsendConfig config) {
        this.report = report;
        this.store = store;
        this.queue = queue;
        this.source = source;
        this.json = json;
        this.chunkSize = config.broadcast().chunkSize();
        this.linesPerStep = config.broadcast().planLinesPerStep();
        this.stepBudget = config.broadcast().planStepBudget();
    }

    public static boolean isPlan(JsonNode body) {
        return body != null && body.isObject() && body.has("plan");
    }

    static String message(ObjectMapper json, String broadcastId, Broadcast.Checkpoint at) {
        ObjectNode root = json.createObjectNode();
        root.putObject("plan").put("broadcast", broadcastId).put("offset", at.offset()).put("lines", at.lines())
                .put("chunks", at.chunks()).put("recipients", at.recipients());
        return root.toString();
    }

    /** Fails with an IllegalArgumentException for a plan that can never run, else with the fault that stopped it. */
    public Uni<Void> plan(JsonNode body) {
        return Uni.createFrom().item(() -> {
            step(body.get("plan"));
            return (Void) null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void step(JsonNode plan) {
        String id = plan.path("broadcast").asText(null);
        Broadcast broadcast = id == null ? null : store.get().get(id).orElse(null);
        if (broadcast == null || broadcast.source() == null) {
            throw new IllegalArgumentException("no broadcast " + Broadcast.named(id) + " with recipients to plan");
        }
        // From the stored checkpoint, whatever the message says: a step that failed after moving it (a reset
        // stream, a refused enqueue, a failed write) is redelivered with the checkpoint it began from, and must
        // go on from where the table says planning stands. Two copies that meet there queue the same chunks
        // (numbered alike, so reaching nobody twice), and the checkpoint moves once: the second stops.
        Broadcast.Checkpoint at = broadcast.planned();
        if (broadcast.cancelled() || broadcast.total() > 0) {
            return; // cancelled, or planned already
        }
        RecipientRules rules;
        try {
            rules = RecipientRules.of(json.readTree(broadcast.message())).orElseThrow();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("broadcast " + id + " holds no message", e);
        }
        S3Uri uri = S3Uri.parse(broadcast.source()).orElseThrow();
        long deadline = System.nanoTime() + stepBudget.toNanos();
        // Each openid's first line in this step: a later line with it is a REPEAT, sent to once. A step resumed
        // from its middle learns its first half again, so that what it queues next depends on the checkpoint
        // alone: a copy that wrote chunks and died before the checkpoint moved is followed by the same chunks.
        Map<String, Long> first = at.stepStart() ? new HashMap<>() : seen(id, uri, at, rules);
        try (InputStream in = source.get().open(uri.bucket(), uri.key(), at.offset())) {
            Lines lines = new Lines(in);
            Broadcast.Checkpoint last = at;
            long offset = at.offset();
            long line = at.lines();
            long recipients = at.recipients();
            List<String> badLines = new ArrayList<>();
            List<JsonNode> pending = new ArrayList<>();
            long repeats = 0;
            for (Lines.Line next = lines.next(); next != null; next = lines.next()) {
                offset += next.bytes();
                line++;
                if (next.text() != null && next.text().isBlank()) {
                    continue;
                }
                recipients++;
                JsonNode recipient = read(id, line, next, rules, badLines);
                Long earlier = recipient == null ? null : first.putIfAbsent(recipient.path("touser").asText(), line);
                if (earlier != null) {
                    repeats++;
                    badLines.add(json.createObjectNode().put("line", line).put("status", "REPEAT")
                            .put("reason", "the same openid as line " + earlier + ": sent to once, there").toString());
                } else if (recipient != null) {
                    pending.add(recipient);
                }
                boolean stepFull = line - at.stepLines() >= linesPerStep;
                if (pending.size() >= chunkSize * 10 || stepFull) {
                    // The step ends here, or goes on: decided once, and written into the checkpoint.
                    // A step resumed from its middle ends at its first flush, so no attempt re-reads more than one
                    // attempt's worth of lines, however many in a row are cut short.
                    boolean stepEnds = stepFull || !at.stepStart() || System.nanoTime() > deadline;
                    last = flush(id, last, stepEnds ? new Broadcast.Checkpoint(offset, line, last.chunks(), recipients, offset, line)
                            : new Broadcast.Checkpoint(offset, line, last.chunks(), recipients, at.stepOffset(), at.stepLines()),
                            pending, badLines, repeats);
                    repeats = 0;
                    if (last == null) {
                        return; // another delivery of this step moved on first
                    }
                    pending.clear();
                    badLines.clear();
                    if (stepEnds) {
                        queue.get().enqueue(List.of(message(json, id, last)), Duration.ZERO);
                        LOG.infof("broadcast %s: planned %d lines so far; planning goes on in the next step", id, line);
                        return;
                    }
                }
            }
            last = flush(id, last, new Broadcast.Checkpoint(offset, line, last.chunks(), recipients, at.stepOffset(),
                    at.stepLines()), pending, badLines, repeats);
            if (last != null) {
                store.get().planned(id, last.recipients(), Map.of());
                LOG.infof("broadcast %s: planned, %d recipients in %d chunks", id, last.recipients(), last.chunks());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Queues the pending recipients' chunks and moves the checkpoint; null when another step moved it first. */
    private Broadcast.Checkpoint flush(String id, Broadcast.Checkpoint from, Broadcast.Checkpoint read, List<JsonNode> pending,
            List<String> badLines, long repeats) {
        List<String> bodies = Chunks.plan(json, id, pending, chunkSize, from.chunks(), System.currentTimeMillis());
        queue.get().enqueue(bodies, Duration.ZERO);
        if (!badLines.isEmpty()) {
            try {
                // Named by where this step's lines begin: a step run again replaces it.
                report.get().write(id, "lines-from-byte-" + from.offset(), badLines);
            } catch (FailureReportException e) {
                LOG.warnf("broadcast %s: %s", id, e.getMessage());
            }
        }
        Map<String, Long> settled = new HashMap<>();
        if (badLines.size() > repeats) {
            settled.put("INVALID", badLines.size() - repeats);
        }
        if (repeats > 0) {
            settled.put("REPEAT", repeats);
        }
        Broadcast.Checkpoint to = new Broadcast.Checkpoint(read.offset(), read.lines(), from.chunks() + bodies.size(),
                read.recipients(), read.stepOffset(), read.stepLines());
        return store.get().advance(id, from, to, settled) ? to : null;
    }

    /**
     * The openids of the step's lines before the checkpoint, each at its first line, as the step saw
     * them before it was cut short: read again from where the step began, up to the checkpoint.
     */
    private Map<String, Long> seen(String id, S3Uri uri, Broadcast.Checkpoint at, RecipientRules rules) {
        Map<String, Long> first = new HashMap<>();
        try (InputStream in = source.get().open(uri.bucket(), uri.key(), at.stepOffset())) {
            Lines lines = new Lines(in);
            long offset = at.stepOffset();
            long line = at.stepLines();
            Lines.Line next;
            while (offset < at.offset() && (next = lines.next()) != null) {
                offset += next.bytes();
                line++;
                JsonNode recipient = next.text() == null || next.text().isBlank() ? null : recipient(next, rules, "line " + line,
                        new ArrayList<>());
                if (recipient != null) {
                    first.putIfAbsent(recipient.path("touser").asText(), line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.infof("broadcast %s: planning resumed inside a step; read its %d openids so far again", id, first.size());
        return first;
    }

    /** The recipient on this line, or null (logged, and added to the report, with its line number) when the line is none. */
    private JsonNode read(String id, long line, Lines.Line next, RecipientRules rules, List<String> badLines) {
        String where = "line " + line;
        List<FieldError> errors = new ArrayList<>();
        JsonNode recipient = recipient(next, rules, where, errors);
        if (recipient != null) {
            return recipient;
        }
        LOG.warnf("broadcast %s: %s is INVALID and skipped: %s", id, where, errors);
        ObjectNode bad = json.createObjectNode().put("line", line).put("status", "INVALID");
        errors.forEach(error -> bad.withArray("errors").addObject().put("field", error.field()).put("message", error.message()));
        badLines.add(bad.toString());
        return null;
    }

    /** The recipient on a line, or null with {@code errors} saying why it is none. */
    private JsonNode recipient(Lines.Line next, RecipientRules rules, String where, List<FieldError> errors) {
        if (next.text() == null) {
            errors.add(new FieldError(where, "is not UTF-8, or longer than " + Lines.MAX_LINE_BYTES + " bytes"));
            return null;
        }
        JsonNode recipient;
        try {
            recipient = json.readTree(next.text());
        } catch (JsonProcessingException e) {
            errors.add(new FieldError(where, "is not JSON"));
            return null;
        }
        errors.addAll(rules.check(recipient, where));
        if (errors.isEmpty()) {
            Chunks.unsendable(recipient, where).ifPresent(field -> errors.add(new FieldError(field, Chunks.UNSENDABLE)));
        }
        int bytes = errors.isEmpty() ? Chunks.utf8Length(recipient.toString()) : 0;
        if (bytes > Chunks.MAX_RECIPIENT_BYTES) {
            errors.add(new FieldError(where, "is " + bytes + " bytes of JSON, more than one chunk message can carry ("
                    + Chunks.MAX_RECIPIENT_BYTES + " bytes of UTF-8)"));
        }
        return errors.isEmpty() ? recipient : null;
    }
}
