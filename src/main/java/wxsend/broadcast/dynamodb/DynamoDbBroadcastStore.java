package wxsend.broadcast.dynamodb;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import wxsend.broadcast.Broadcast;
import wxsend.broadcast.BroadcastStore;
import wxsend.broadcast.BroadcastStoreException;

/**
 * One item per broadcast, partition key {@code id}: the app, the payload's hash, the shared message,
 * the source of its recipients, the planned total, planning's checkpoint ({@code planOffset},
 * {@code planLines}, {@code planChunks}, {@code planRecipients}), the counts planning made
 * ({@code n_INVALID}, {@code n_REPEAT}), the cancelled flag, the pause, and {@code ttl} (epoch
 * seconds), moved to BROADCAST_KEEP on at every write. The chunks' counts are not here: each chunk
 * adds its own to one of the totals shards ({@link LedgerItems}) once, with its ledger, so this
 * item never grows with the broadcast and no chunk writes it.
 */
public class DynamoDbBroadcastStore implements BroadcastStore {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration keep;
    private final Clock clock;

    public DynamoDbBroadcastStore(DynamoDbClient dynamo, String table, Duration keep, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.keep = keep;
        this.clock = clock;
    }

    @Override
    public Optional<Broadcast> createIfAbsent(Broadcast broadcast) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(broadcast.id()));
        item.put("app", s(broadcast.app()));
        item.put("payloadHash", s(broadcast.payloadHash()));
        item.put("message", s(broadcast.message()));
        if (broadcast.source() != null) {
            item.put("source", s(broadcast.source()));
        }
        for (String zero : List.of("total", "planOffset", "planLines", "planChunks", "planRecipients", "planStepOffset",
                "planStepLines")) {
            item.put(zero, n(0));
        }
        item.put("cancelled", AttributeValue.fromBool(false));
        item.put("createdAt", n(broadcast.createdAt().toEpochMilli()));
        item.put("ttl", n(keepUntil().getEpochSecond()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(id)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException exists) {
            return exists.hasItem() ? Optional.of(broadcast(exists.item(), Map.of())) : get(broadcast.id());
        } catch (SdkException | UncheckedIOException e) {
            throw failure("create", e);
        }
    }

    @Override
    public Optional<Broadcast> get(String id) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(broadcast(item, Map.of()));
        } catch (SdkException | UncheckedIOException e) {
            throw failure("read", e);
        }
    }

    @Override
    public Optional<Broadcast> tally(String id) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(key(id));
        for (int shard = 0; shard < LedgerItems.SHARDS; shard++) {
            keys.add(key(LedgerItems.shardId(id, shard)));
        }
        try {
            Map<String, Map<String, AttributeValue>> found = new HashMap<>();
            Map<String, KeysAndAttributes> wanted = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            // BatchGetItem may leave keys unprocessed under load; they are asked for again until none are.
            while (!wanted.isEmpty()) {
                Map<String, KeysAndAttributes> asked = wanted;
                var answer = dynamo.batchGetItem(r -> r.requestItems(asked));
                answer.responses().getOrDefault(table, List.of()).forEach(item -> found.put(item.get("id").s(), item));
                wanted = answer.hasUnprocessedKeys() ? answer.unprocessedKeys() : Map.of();
            }
            Map<String, AttributeValue> record = found.remove(id);
            if (record == null) {
                return Optional.empty();
            }
            Map<String, Long> totals = new TreeMap<>();
            found.values().forEach(shard -> counts(shard).forEach((status, n) -> totals.merge(status, n, Long::sum)));
            return Optional.of(broadcast(record, totals));
        } catch (SdkException | UncheckedIOException e) {
            throw failure("read", e);
        }
    }

    @Override
    public void planned(String id, long total, Map<String, Long> added) {
        Map<String, String> names = new HashMap<>(Map.of("#total", "total"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":total", n(total), ":zero", n(0)));
        // Once: a copy of the planning, or the SDK's retry of this very write after its answer was lost, finds the
        // total set and adds nothing again (REPEAT counted twice would make the broadcast DONE too early).
        Optional<Map<String, AttributeValue>> refused = write(id, "SET #total = :total" + adding(added, names, values), names,
                values, "attribute_exists(id) AND #total = :zero", "plan");
        if (refused.isPresent() && refused.get().isEmpty()) {
            throw new BroadcastStoreException("broadcast table plan failed: the broadcast is gone", null);
        }
    }

    @Override
    public boolean advance(String id, Broadcast.Checkpoint from, Broadcast.Checkpoint to, Map<String, Long> added) {
        // The writer's mark: a condition that fails because this very write landed (its answer lost, the SDK
        // retrying it) is told apart from one that fails because another step moved planning first.
        String by = UUID.randomUUID().toString();
        Map<String, String> names = new HashMap<>(Map.of("#offset", "planOffset", "#lines", "planLines", "#chunks", "planChunks",
                "#recipients", "planRecipients", "#stepOffset", "planStepOffset", "#stepLines", "planStepLines", "#by", "planBy"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":from", n(from.offset()), ":offset", n(to.offset()),
                ":lines", n(to.lines()), ":chunks", n(to.chunks()), ":recipients", n(to.recipients()),
                ":stepOffset", n(to.stepOffset()), ":stepLines", n(to.stepLines()), ":by", s(by)));
        String expression = "SET #offset = :offset, #lines = :lines, #chunks = :chunks, #recipients = :recipients, "
                + "#stepOffset = :stepOffset, #stepLines = :stepLines, #by = :by" + adding(added, names, values);
        Optional<Map<String, AttributeValue>> refused = write(id, expression, names, values,
                "attribute_exists(id) AND #offset = :from", "advance");
        return refused.isEmpty() || by.equals(text(refused.get(), "planBy", null));
    }

    @Override
    public boolean cancel(String id) {
        Broadcast broadcast = tally(id).orElse(null);
        if (broadcast == null || broadcast.done()) {
            return false;
        }
        update(id, "SET #cancelled = :yes", new HashMap<>(Map.of("#cancelled", "cancelled")),
                new HashMap<>(Map.of(":yes", AttributeValue.fromBool(true))), "attribute_exists(id)", "cancel");
        return true;
    }

    @Override
    public void pause(String id, Instant until) {
        update(id, "SET #until = :until", new HashMap<>(Map.of("#until", "pausedUntil")),
                new HashMap<>(Map.of(":until", n(until.toEpochMilli()))), "attribute_exists(id)", "pause");
        // A pause moves the record's expiry on, so keep() may never be due: the totals must move with it.
        keepTotals(id, keepUntil());
    }

    @Override
    public void keep(String id, Instant until) {
        update(id, "SET #ttl = :keep", new HashMap<>(Map.of("#ttl", "ttl")), new HashMap<>(Map.of(":keep", n(until.getEpochSecond()))),
                "attribute_exists(id)", "keep");
        keepTotals(id, until);
    }

    /**
     * The totals go with the record: a broadcast kept past BROADCAST_KEEP must not lose its counts.
     * A shard no chunk has added to yet does not exist, and is not made.
     */
    private void keepTotals(String id, Instant until) {
        for (int shard = 0; shard < LedgerItems.SHARDS; shard++) {
            write(LedgerItems.shardId(id, shard), "SET #ttl = :keep", new HashMap<>(Map.of("#ttl", "ttl")),
                    new HashMap<>(Map.of(":keep", n(until.getEpochSecond()))), "attribute_exists(id)", "keep");
        }
    }

    /** The ADD clause for counts, its names and values put beside the others'. */
    private static String adding(Map<String, Long> added, Map<String, String> names, Map<String, AttributeValue> values) {
        StringBuilder add = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, Long> count : added.entrySet()) {
            add.append(i == 0 ? " ADD " : ", ").append("#c").append(i).append(" :c").append(i);
            names.put("#c" + i, LedgerItems.COUNT_PREFIX + count.getKey());
            values.put(":c" + i, n(count.getValue()));
            i++;
        }
        return add.toString();
    }

    /** An update of a broadcast that must exist; it also moves the record's expiry on. */
    private void update(String id, String expression, Map<String, String> names, Map<String, AttributeValue> values,
            String condition, String action) {
        if (write(id, expression, names, values, condition, action).isPresent()) {
            throw new BroadcastStoreException("broadcast table " + action + " failed: the broadcast is gone", null);
        }
    }

    /**
     * A conditional update that also moves the record's expiry on.
     *
     * @return empty when it was written; else the item as it stood, empty when there is none
     */
    private Optional<Map<String, AttributeValue>> write(String id, String expression, Map<String, String> names,
            Map<String, AttributeValue> values, String condition, String action) {
        String kept = expression.contains("#ttl") ? expression : keepClause(expression, names, values);
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(id)).updateExpression(kept).expressionAttributeNames(names)
                    .expressionAttributeValues(values).conditionExpression(condition)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException failed) {
            return Optional.of(failed.hasItem() ? failed.item() : Map.of());
        } catch (SdkException | UncheckedIOException e) {
            throw failure(action, e);
        }
    }

    /** {@code SET a, b ADD c} with the expiry joined to its SET clause. */
    private String keepClause(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        names.put("#ttl", "ttl");
        values.put(":keep", n(keepUntil().getEpochSecond()));
        return expression.replaceFirst("^SET ", "SET #ttl = :keep, ");
    }

    private Instant keepUntil() {
        return clock.instant().plus(keep);
    }

    private static Map<String, Long> counts(Map<String, AttributeValue> item) {
        Map<String, Long> counts = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(LedgerItems.COUNT_PREFIX) && value.n() != null) {
                counts.put(name.substring(LedgerItems.COUNT_PREFIX.length()), Long.parseLong(value.n()));
            }
        });
        return counts;
    }

    private static Broadcast broadcast(Map<String, AttributeValue> item, Map<String, Long> totals) {
        Map<String, Long> counts = counts(item);
        totals.forEach((status, n) -> counts.merge(status, n, Long::sum));
        AttributeValue paused = item.get("pausedUntil");
        AttributeValue cancelled = item.get("cancelled");
        AttributeValue source = item.get("source");
        return new Broadcast(text(item, "id"), text(item, "app"), text(item, "payloadHash"), text(item, "message"),
                source == null ? null : source.s(), number(item, "total"), counts,
                cancelled != null && Boolean.TRUE.equals(cancelled.bool()),
                paused == null ? null : Instant.ofEpochMilli(Long.parseLong(paused.n())),
                Instant.ofEpochMilli(number(item, "createdAt")),
                new Broadcast.Checkpoint(number(item, "planOffset"), number(item, "planLines"), (int) number(item, "planChunks"),
                        number(item, "planRecipients"),
                        // A record planned by a version before steps were written: its checkpoint begins a step.
                        number(item, item.containsKey("planStepOffset") ? "planStepOffset" : "planOffset"),
                        number(item, item.containsKey("planStepLines") ? "planStepLines" : "planLines")),
                Instant.ofEpochSecond(number(item, "ttl")));
    }

    private static String text(Map<String, AttributeValue> item, String name, String absent) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? absent : value.s();
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.s() == null) {
            throw new BroadcastStoreException("broadcast table holds a malformed record (" + name + " missing)", null);
        }
        return value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private static BroadcastStoreException failure(String action, RuntimeException e) {
        return new BroadcastStoreException("broadcast table " + action + " failed: " + e.getClass().getSimpleName(), e);
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
