package wxsend.broadcast;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import wxsend.config.WxsendConfig;
import wxsend.send.BatchService;
import wxsend.send.outcome.FieldError;
import wxsend.send.delivery.Hashes;
import wxsend.send.request.KeyHint;

/**
 * Broadcasts: one shared message to many recipients, through the delivery queue. Submitting
 * checks the whole request as a batch would, records the broadcast, splits its recipients into
 * chunk messages and queues them, and answers at once with the broadcast's id; the deliver
 * export sends each chunk ({@link ChunkDelivery}). Store and queue calls block, so they run on
 * the worker pool.
 */
@ApplicationScoped
public class BroadcastService {

    private static final Logger LOG = Logger.getLogger(BroadcastService.class);

    private final BatchService batches;
    private final Instance<BroadcastStore> store;
    private final Instance<ChunkQueue> queue;
    private final Instance<RecipientSource> source;
    private final Instance<FailureReport> report;
    private final ObjectMapper json;
    private final WxsendConfig.Broadcast settings;
    private final boolean configured;
    private final Clock clock = Clock.systemUTC();

    BroadcastService(BatchService batches, Instance<BroadcastStore> store, Instance<ChunkQueue> queue,
            Instance<RecipientSource> source, Instance<FailureReport> report, ObjectMapper json, WxsendConfig config) {
        this.report = report;
        this.batches = batches;
        this.store = store;
        this.queue = queue;
        this.source = source;
        this.json = json;
        this.settings = config.broadcast();
        this.configured = settings.table().isPresent() && settings.queueUrl().isPresent();
    }

    public Uni<BroadcastAnswer> submit(JsonNode request, KeyHint hint) {
        if (request != null && request.isObject() && request.path("dryRun").asBoolean(false) && !request.has("recipientsFrom")) {
            // Touches neither the table nor the queue, so it answers where broadcasts are not configured (dev mode).
            return Uni.createFrom().item(() -> dryRun(request));
        }
        return blocking(() -> submitNow(request, hint));
    }

    private BroadcastAnswer dryRun(JsonNode request) {
        BatchService.Check check = batches.check(request, settings.maxInline(), true);
        if (!check.valid()) {
            return BroadcastAnswer.invalid(check.errors());
        }
        InlinePlan.Plan plan = InlinePlan.of(json, "bc-dry-run", request.get("recipients"), settings.chunkSize(), 0);
        if (!plan.tooLarge().isEmpty()) {
            return BroadcastAnswer.invalid(plan.tooLarge());
        }
        return BroadcastAnswer.dryRun(check.app(), plan.total(), "checked whole: " + plan.total() + " recipient(s), "
                + plan.repeats().size() + " of them repeats (sent to once), in " + plan.bodies().size()
                + " chunk message(s) of at most " + settings.chunkSize() + "; nothing recorded, queued or sent. A batch with"
                + " dryRun shows each body");
    }

    public Uni<BroadcastAnswer> status(String id) {
        return blocking(() -> store.get().tally(id)
                .map(b -> BroadcastAnswer.of(BroadcastAnswer.Status.FOUND, b, clock.instant(), failures(b), null))
                .orElseGet(() -> unknown(id)));
    }

    public Uni<BroadcastAnswer> cancel(String id) {
        return blocking(() -> {
            Optional<Broadcast> found = store.get().tally(id);
            if (found.isEmpty()) {
                return unknown(id);
            }
            if (!store.get().cancel(id)) {
                return BroadcastAnswer.refused(BroadcastAnswer.Status.CONFLICT,
                        "broadcast " + id + " is done: every recipient has a final status, so there is nothing to cancel");
            }
            LOG.infof("broadcast %s cancelled: chunks not yet sent are dropped as they arrive", id);
            return BroadcastAnswer.of(BroadcastAnswer.Status.FOUND, store.get().tally(id).orElseThrow(), clock.instant(),
                    failures(found.get()), null);
        });
    }

    private BroadcastAnswer submitNow(JsonNode request, KeyHint hint) {
        if (request == null || !request.isObject()) {
            return BroadcastAnswer.invalid(List.of(new FieldError("(request)", "must be a JSON object with recipients")));
        }
        Optional<S3Uri> from = Optional.empty();
        JsonNode checked = request;
        if (request.has("recipientsFrom")) {
            Object source = sourceOf(request);
            if (source instanceof FieldError error) {
                return BroadcastAnswer.invalid(List.of(error));
            }
            from = Optional.of((S3Uri) source);
            // The shared message is checked as a batch of one stand-in recipient; the real ones, line by line, as planned.
            ObjectNode withOne = request.deepCopy();
            withOne.remove("recipientsFrom");
            withOne.putArray("recipients").addObject().put("touser", "oStandInForTheCheck");
            checked = withOne;
        }
        BatchService.Check check = batches.check(checked, settings.maxInline(), true);
        if (!check.valid()) {
            return BroadcastAnswer.invalid(check.errors());
        }
        if (request.path("dryRun").asBoolean(false)) {
            return BroadcastAnswer.invalid(List.of(new FieldError("dryRun", "a broadcast from S3 has no dry run: its lines are"
                    + " checked as they are planned, each bad one reported with its line number")));
        }
        if (from.isEmpty() && !InlinePlan.tooLarge(request.get("recipients")).isEmpty()) {
            return BroadcastAnswer.invalid(InlinePlan.tooLarge(request.get("recipients")));
        }
        KeyHint.KeyChoice choice = hint.choose(Optional.ofNullable(request.path("idempotencyKey").textValue()));
        if (choice.error() != null) {
            return BroadcastAnswer.invalid(List.of(choice.error()));
        }
        String hash = hash(request);
        // Without a key, HTTP submissions are each a new broadcast: wxsend gives one a key, and names it in every
        // answer, so a caller whose submission failed half-way can resubmit under it and queue nothing twice. A
        // direct invocation is keyed by its content, which a resubmission repeats.
        String key = choice.key().orElse(hint.contentKey() ? null : "bc-key-" + UUID.randomUUID());
        String id = key != null ? "bc-" + Hashes.sha256(check.app() + "#" + key).substring(0, 32) : "bc-" + hash.substring(0, 32);
        ObjectNode message = request.deepCopy();
        message.remove(List.of("recipients", "recipientsFrom", "idempotencyKey", "deduplicate"));
        Broadcast fresh = new Broadcast(id, check.app(), hash, message.toString(), from.map(S3Uri::toString).orElse(null), 0,
                Map.of(), false, null, clock.instant(), Broadcast.Checkpoint.START, null);
        try {
            return record(request, fresh, from, check.app()).withKey(key);
        } catch (BroadcastStoreException | ChunkQueueException | RecipientSourceException e) {
            String resubmit = key == null ? "submit the same broadcast again" : "submit the same broadcast again with"
                    + " idempotencyKey " + key + " (or the Idempotency-Key header)";
            return BroadcastAnswer.refused(BroadcastAnswer.Status.UNAVAILABLE, e.getMessage() + "; nothing is lost: " + resubmit
                    + ", and what was queued is not queued twice").withKey(key);
        }
    }

    /** Records the broadcast and queues its planning (from S3) or its chunks (inline), unless that was done. */
    private BroadcastAnswer record(JsonNode request, Broadcast fresh, Optional<S3Uri> from, String app) {
        String id = fresh.id();
        if (from.isPresent()) {
            try {
                source.get().size(from.get().bucket(), from.get().key());
            } catch (RecipientSourceException e) {
                if (e.permanent()) {
                    return BroadcastAnswer.invalid(List.of(new FieldError("recipientsFrom", e.getMessage())));
                }
                throw e;
            }
        }
        Optional<Broadcast> existing = store.get().createIfAbsent(fresh);
        if (existing.isPresent() && !existing.get().payloadHash().equals(fresh.payloadHash())) {
            return BroadcastAnswer.refused(BroadcastAnswer.Status.CONFLICT,
                    "this idempotency key was used for a different broadcast (" + id + "); nothing was queued");
        }
        if (existing.isPresent() && (existing.get().total() > 0 || from.isPresent())) {
            // Planning from S3 goes on by itself from its checkpoint; an inline one that was planned is done.
            return BroadcastAnswer.of(BroadcastAnswer.Status.FOUND, existing.get(), clock.instant(), failures(fresh), true);
        }
        if (from.isPresent()) {
            queue.get().enqueue(List.of(Planner.message(json, id, Broadcast.Checkpoint.START)), java.time.Duration.ZERO);
            LOG.infof("broadcast %s for app %s: planning from %s", id, app, from.get());
            return BroadcastAnswer.of(BroadcastAnswer.Status.ACCEPTED, fresh, clock.instant(), failures(fresh), null);
        }
        // New, or recorded before its planning finished: (re)plan. Chunks are numbered as planned and each
        // has its ledger, so a chunk queued twice reaches nobody twice.
        InlinePlan.Plan plan = InlinePlan.of(json, id, request.get("recipients"), settings.chunkSize(), clock.millis());
        if (!plan.repeats().isEmpty()) {
            writeReport(id, "repeats", plan.repeats());
        }
        queue.get().enqueue(plan.bodies(), java.time.Duration.ZERO);
        store.get().planned(id, plan.total(), plan.repeats().isEmpty() ? Map.of() : Map.of("REPEAT", (long) plan.repeats().size()));
        LOG.infof("broadcast %s for app %s: %d recipients (%d repeats) in %d chunks queued", id, app, plan.total(),
                plan.repeats().size(), plan.bodies().size());
        return BroadcastAnswer.of(BroadcastAnswer.Status.ACCEPTED, store.get().get(id).orElse(fresh), clock.instant(),
                failures(fresh), null);
    }

    private void writeReport(String id, String name, List<String> lines) {
        try {
            report.get().write(id, name, lines);
        } catch (FailureReportException e) {
            LOG.warnf("broadcast %s: %s", id, e.getMessage());
        }
    }

    /** The request's S3 source, or the error that names recipientsFrom. */
    private Object sourceOf(JsonNode request) {
        JsonNode value = request.get("recipientsFrom");
        if (request.has("recipients")) {
            return new FieldError("recipientsFrom", "goes instead of recipients, not with them");
        }
        Optional<S3Uri> uri = value.isTextual() ? S3Uri.parse(value.textValue()) : Optional.empty();
        if (uri.isEmpty()) {
            return new FieldError("recipientsFrom", "must be s3://bucket/key, an object of JSON Lines (one recipient a line)");
        }
        if (settings.bucket().isPresent() && !settings.bucket().get().equals(uri.get().bucket())) {
            return new FieldError("recipientsFrom", "must be in the bucket " + settings.bucket().get()
                    + " (BROADCAST_BUCKET), which wxsend may read");
        }
        return uri.get();
    }

    /** The request's hash without its key: a resubmission that names the key wxsend gave is the same broadcast. */
    private String hash(JsonNode request) {
        ObjectNode content = request.deepCopy();
        content.remove("idempotencyKey");
        try {
            return Hashes.sha256(json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsString(json.treeToValue(content, Object.class)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash a checked request", e);
        }
    }

    private String failures(Broadcast broadcast) {
        return report.get().location(broadcast.id()).orElse(null);
    }

    private static BroadcastAnswer unknown(String id) {
        return BroadcastAnswer.refused(BroadcastAnswer.Status.NOT_FOUND, "no broadcast " + clip(id));
    }

    private static String clip(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "…";
    }

    private Uni<BroadcastAnswer> blocking(java.util.function.Supplier<BroadcastAnswer> call) {
        if (!configured) {
            return Uni.createFrom().item(BroadcastAnswer.refused(BroadcastAnswer.Status.UNAVAILABLE,
                    "broadcasts are not configured: set BROADCAST_TABLE and DELIVERY_QUEUE_URL"));
        }
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(e -> e instanceof BroadcastStoreException || e instanceof ChunkQueueException
                        || e instanceof RecipientSourceException)
                .recoverWithItem(e -> BroadcastAnswer.refused(BroadcastAnswer.Status.UNAVAILABLE,
                        e.getMessage() + "; nothing was changed: try again"));
    }
}
