package wxsend.send;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.Uni;
import wxsend.config.Apps;
import wxsend.config.WxsendConfig;
import wxsend.send.delivery.Budget;
import wxsend.send.delivery.Hashes;
import wxsend.send.delivery.Job;
import wxsend.send.delivery.Takeover;
import wxsend.send.message.Message;
import wxsend.send.outcome.BatchOutcome;
import wxsend.send.outcome.Errcodes;
import wxsend.send.outcome.FieldError;
import wxsend.send.outcome.RecipientResult;
import wxsend.send.outcome.SendLog;
import wxsend.send.outcome.SendOutcome;
import wxsend.send.outcome.Status;
import wxsend.send.outcome.Verdict;
import wxsend.send.request.BatchReader;
import wxsend.send.request.BatchRequest;
import wxsend.send.request.KeyHint;
import wxsend.send.request.Keys;

/**
 * Sends one message to many recipients, a bounded number at a time, each under its own
 * idempotency key derived from the batch's, so a redelivered batch reaches only those not yet
 * reached. It stops starting sends when WeChat says the day's quota is gone (45009) or when the
 * time budget nears its end; the rest are NOT_ATTEMPTED.
 */
@ApplicationScoped
public class BatchService {

    private final Apps apps;
    private final Sender sender;
    private final Hashes hashes;
    private final Budget budget;
    private final SendLog log;
    private final ObjectMapper json;
    private final WxsendConfig.Batch settings;

    BatchService(Apps apps, Sender sender, Hashes hashes, Budget budget, SendLog log, ObjectMapper json, WxsendConfig config) {
        this.apps = apps;
        this.sender = sender;
        this.hashes = hashes;
        this.budget = budget;
        this.log = log;
        this.json = json;
        this.settings = config.batch();
    }

    /** A batch checked without sending: the app that would send it, or what is wrong. */
    public record Check(String app, List<FieldError> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * Checks a batch of up to {@code maxRecipients} as a send would (fields, recipients, app), and
     * sends nothing: a broadcast is checked whole before any of it is queued.
     */
    public Check check(JsonNode input, int maxRecipients) {
        return check(input, maxRecipients, false);
    }

    /** @param repeatsAllowed a broadcast sends a repeated recipient once and counts the repeat, where a batch refuses it */
    public Check check(JsonNode input, int maxRecipients, boolean repeatsAllowed) {
        BatchReader.Result read = BatchReader.read(input, maxRecipients, repeatsAllowed);
        if (read instanceof BatchReader.Invalid invalid) {
            return new Check(null, invalid.errors());
        }
        try {
            return new Check(apps.pick(((BatchReader.Valid) read).batch().template().app()), List.of());
        } catch (IllegalArgumentException e) {
            return new Check(null, List.of(new FieldError("app", e.getMessage())));
        }
    }

    /**
     * A chunk of a broadcast, read as a batch whose repeated openids are marked rather than refused:
     * {@code chunk} when it reads, else the errors that name what is wrong.
     */
    public record ChunkRead(ChunkBatch chunk, List<FieldError> errors) {
    }

    public ChunkRead readChunk(JsonNode input, int maxRecipients) {
        BatchReader.Result read = BatchReader.read(input, maxRecipients, true);
        if (read instanceof BatchReader.Invalid invalid) {
            return new ChunkRead(null, invalid.errors());
        }
        BatchRequest batch = ((BatchReader.Valid) read).batch();
        try {
            return new ChunkRead(new ChunkBatch(batch, apps.pick(batch.template().app())), List.of());
        } catch (IllegalArgumentException e) {
            return new ChunkRead(null, List.of(new FieldError("app", e.getMessage())));
        }
    }

    /**
     * Sends these recipients of a chunk, a bounded number at a time, each under {@code key} and its
     * own (as a batch's recipient is, so template/send's client_msg_id repeats on a retry), and
     * without an idempotency record each: the caller's ledger claimed them, and records what became
     * of them. A quota met stops the sends not yet started, as in a batch.
     *
     * @param unfinishedSince when an earlier delivery claimed these same recipients and never
     *        settled them: each is then resumed as a takeover ({@link Takeover}), never simply posted
     * @param started when the chunk's delivery began; no send starts once its time budget is spent
     */
    public Uni<List<RecipientResult>> sendSome(ChunkBatch chunk, String key, List<Integer> indices,
            Optional<java.time.Instant> unfinishedSince, long started) {
        String requestId = SendLog.requestId();
        long stopStartingAt = budget.lastStart(started);
        AtomicReference<String> quotaGone = new AtomicReference<>();
        return Multi.createFrom().iterable(indices)
                .onItem().transformToUni(i -> one(chunk.batch, i, chunk.app, new Keys.Chosen(key, false), requestId,
                        stopStartingAt, quotaGone, job -> sender.sendUnrecorded(job, unfinishedSince))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .merge(settings.concurrency())
                .collect().asList();
    }

    /** Whether a direct or scheduled payload is a batch rather than a single message. */
    public static boolean isBatch(JsonNode input) {
        return input != null && input.isObject() && input.has("recipients");
    }

    public Uni<BatchOutcome> send(JsonNode input, KeyHint hint) {
        long started = System.currentTimeMillis();
        String requestId = SendLog.requestId();
        BatchReader.Result read = BatchReader.read(input, settings.maxRecipients());
        if (read instanceof BatchReader.Invalid invalid) {
            return refused(invalid.errors(), requestId, started);
        }
        BatchRequest batch = ((BatchReader.Valid) read).batch();
        // The app is checked before anything else, dry runs included: a dry run says what a send would do.
        String app;
        try {
            app = apps.pick(batch.template().app());
        } catch (IllegalArgumentException e) {
            return refused(List.of(new FieldError("app", e.getMessage())), requestId, started);
        }
        Keys.Choice key = Keys.choose(hint, batch.template().idempotencyKey(), batch.template().deduplicate(),
                () -> hashes.of(app, normalised(batch)));
        if (key instanceof Keys.Wrong wrong) {
            return refused(List.of(wrong.error()), requestId, started);
        }
        if (batch.template().dryRun()) {
            List<RecipientResult> results = new ArrayList<>();
            for (int i = 0; i < batch.recipients().size(); i++) {
                results.add(RecipientResult.of(i, batch.recipients().get(i).touser(),
                        SendOutcome.dryRun(app, batch.message(i).api().endpoint(), json.valueToTree(batch.message(i)))));
            }
            return Uni.createFrom().item(BatchOutcome.of(true, app, null, results));
        }
        Keys.Chosen batchKey = ((Keys.Ok) key).chosen();
        return run(batch, app, batchKey, requestId, started)
                .onItem().transform(results -> BatchOutcome.of(false, app, batchKey.key(), results));
    }

    private Uni<List<RecipientResult>> run(BatchRequest batch, String app, Keys.Chosen batchKey, String requestId, long started) {
        long stopStartingAt = budget.lastStart(started);
        AtomicReference<String> quotaGone = new AtomicReference<>();
        return Multi.createFrom().range(0, batch.recipients().size())
                // Each on the worker pool: a send's store calls block, and run inline on a thread that may
                // block, so without this the first wave's claims would queue on the invoking thread.
                .onItem().transformToUni(i -> one(batch, i, app, batchKey, requestId, stopStartingAt, quotaGone, sender::send)
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .merge(settings.concurrency())
                .collect().asList()
                .onItem().transform(results -> {
                    List<RecipientResult> ordered = new ArrayList<>(results);
                    ordered.sort(Comparator.comparingInt(RecipientResult::index));
                    return ordered;
                });
    }

    private Uni<RecipientResult> one(BatchRequest batch, int i, String app, Keys.Chosen batchKey, String requestId,
            long stopStartingAt, AtomicReference<String> quotaGone, Function<Job, Uni<SendOutcome>> send) {
        return Uni.createFrom().deferred(() -> {
            long now = System.currentTimeMillis();
            Message message = batch.message(i);
            String why = quotaGone.get() != null ? quotaGone.get()
                    : now >= stopStartingAt ? "the time budget ran out before this send could start" : null;
            if (why != null) {
                SendOutcome skipped = SendOutcome.of(Verdict.of(Status.NOT_ATTEMPTED, app, 0, why), null, null);
                log.record(requestId, skipped, message.touser(), now);
                return Uni.createFrom().item(RecipientResult.of(i, message.touser(), skipped));
            }
            // Each recipient's key extends the batch's, so a resent batch reaches only those not yet reached.
            String key = batchKey.key() == null ? null
                    : batchKey.key() + "/" + hashes.of("", batch.recipients().get(i)).substring(0, 24);
            return send.apply(new Job(app, message, key, batchKey.derived(), requestId, stopStartingAt, now,
                    batch.officialAccountOpenid(i)))
                    .invoke(outcome -> {
                        // A quota is the app's, not the recipient's: the sends after it would only meet it
                        // again (and burn their retries), so they are left for the caller, or the queue, to retry.
                        if (Integer.valueOf(Errcodes.DAILY_QUOTA).equals(outcome.errcode())) {
                            quotaGone.compareAndSet(null, "WeChat's daily quota for this API ran out (45009) during this batch");
                        } else if (Integer.valueOf(Errcodes.MINUTE_QUOTA).equals(outcome.errcode())) {
                            quotaGone.compareAndSet(null, "WeChat's minute quota for this API ran out (45011) during this batch;"
                                    + " try again after a minute");
                        }
                    })
                    .onItem().transform(outcome -> RecipientResult.of(i, message.touser(), outcome));
        });
    }

    private static Map<String, Object> normalised(BatchRequest batch) {
        Map<String, Object> normalised = new LinkedHashMap<>();
        normalised.put("message", batch.template().message());
        normalised.put("recipients", batch.recipients());
        return normalised;
    }

    private Uni<BatchOutcome> refused(List<FieldError> errors, String requestId, long started) {
        BatchOutcome outcome = BatchOutcome.invalid(errors);
        log.record(requestId, SendOutcome.invalid(errors), null, started);
        return Uni.createFrom().item(outcome);
    }
}
