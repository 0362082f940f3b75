package wxsend.broadcast.dynamodb;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import wxsend.broadcast.Broadcast;
import wxsend.broadcast.BroadcastStore;
import wxsend.broadcast.BroadcastStoreException;

/**
 * One item per broadcast, partition key {@code id}: the app, the payload's hash, the shared message,
 * the source of its recipients, the planned total, planning's checkpoint ({@code planOffset},
 * {@code planLines}, {@code planChunks}), one number per final status ({@code n_SENT}, …) that
 * chunks add to with atomic ADD updates, the set of chunks counted ({@code countedChunks}, so a
 * chunk delivered twice is counted once; about 10 bytes a chunk, so a million recipients in
 * chunks of 100 take some 100 KB of the item's 400 KB), the cancelled flag, the pause, and
 * {@code ttl} (epoch seconds, 30 days on) so that DynamoDB removes old broadcasts.
 */
public class DynamoDbBroadcastStore implements BroadcastStore {

    static final String COUNT_PREFIX = "n_";
    static final Duration KEEP = Duration.ofDays(30);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbBroadcastStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
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
        item.put("total", n(0));
        item.put("planOffset", n(0));
        item.put("planLines", n(0));
        item.put("planChunks", n(0));
        item.put("planRecipients", n(0));
        item.put("cancelled", AttributeValue.fromBool(false));
        item.put("createdAt", n(broadcast.createdAt().toEpochMilli()));
        item.put("ttl", n(broadcast.createdAt().plus(KEEP).getEpochSecond()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(id)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException exists) {
            return exists.hasItem() ? Optional.of(broadcast(exists.item())) : get(broadcast.id());
        } catch (SdkException | UncheckedIOException e) {
            throw failure("create", e);
        }
    }

    @Override
    public Optional<Broadcast> get(String id) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(broadcast(item));
        } catch (SdkException | UncheckedIOException e) {
            throw failure("read", e);
        }
    }

    @Override
    public void planned(String id, long total) {
        update(id, "SET #total = :total", Map.of("#total", "total"), Map.of(":total", n(total)), "plan");
    }

    @Override
    public boolean count(String id, String chunk, Map<String, Long> added) {
        // The chunk's tag joins a string set in the same update that adds its counts, on the
        // condition that it is not there yet: counted once, however often it is delivered.
        StringBuilder expression = new StringBuilder("ADD #counted :chunk");
        Map<String, String> names = new HashMap<>(Map.of("#counted", "countedChunks"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":chunk", AttributeValue.fromSs(java.util.List.of(chunk)),
                ":tag", s(chunk)));
        int i = 0;
        for (Map.Entry<String, Long> entry : added.entrySet()) {
            expression.append(", #c").append(i).append(" :c").append(i);
            names.put("#c" + i, COUNT_PREFIX + entry.getKey());
            values.put(":c" + i, n(entry.getValue()));
            i++;
        }
        return conditional(id, expression.toString(), "attribute_exists(id) AND NOT contains(#counted, :tag)", names, values,
                "count");
    }

    @Override
    public boolean advance(String id, Broadcast.Checkpoint from, Broadcast.Checkpoint to, long invalid) {
        Map<String, String> names = new HashMap<>(Map.of("#offset", "planOffset", "#lines", "planLines", "#chunks", "planChunks",
                "#recipients", "planRecipients", "#invalid", COUNT_PREFIX + "INVALID"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":from", n(from.offset()), ":offset", n(to.offset()),
                ":lines", n(to.lines()), ":chunks", n(to.chunks()), ":recipients", n(to.recipients()), ":invalid", n(invalid)));
        return conditional(id, "SET #offset = :offset, #lines = :lines, #chunks = :chunks, #recipients = :recipients "
                + "ADD #invalid :invalid",
                "attribute_exists(id) AND #offset = :from", names, values, "advance");
    }

    private boolean conditional(String id, String expression, String condition, Map<String, String> names,
            Map<String, AttributeValue> values, String action) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(id)).updateExpression(expression).expressionAttributeNames(names)
                    .expressionAttributeValues(values).conditionExpression(condition));
            return true;
        } catch (ConditionalCheckFailedException already) {
            return false;
        } catch (SdkException | UncheckedIOException e) {
            throw failure(action, e);
        }
    }

    @Override
    public boolean cancel(String id) {
        Broadcast broadcast = get(id).orElse(null);
        if (broadcast == null || broadcast.total() > 0 && broadcast.settled() >= broadcast.total()) {
            return false;
        }
        update(id, "SET #cancelled = :yes", Map.of("#cancelled", "cancelled"), Map.of(":yes", AttributeValue.fromBool(true)),
                "cancel");
        return true;
    }

    @Override
    public void pause(String id, Instant until) {
        update(id, "SET #until = :until", Map.of("#until", "pausedUntil"), Map.of(":until", n(until.toEpochMilli())), "pause");
    }

    private void update(String id, String expression, Map<String, String> names, Map<String, AttributeValue> values,
            String action) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(id)).updateExpression(expression).expressionAttributeNames(names)
                    .expressionAttributeValues(values).conditionExpression("attribute_exists(id)"));
        } catch (ConditionalCheckFailedException gone) {
            throw new BroadcastStoreException("broadcast table " + action + " failed: the broadcast is gone", gone);
        } catch (SdkException | UncheckedIOException e) {
            throw failure(action, e);
        }
    }

    private static Broadcast broadcast(Map<String, AttributeValue> item) {
        Map<String, Long> counts = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(COUNT_PREFIX) && value.n() != null) {
                counts.put(name.substring(COUNT_PREFIX.length()), Long.parseLong(value.n()));
            }
        });
        AttributeValue paused = item.get("pausedUntil");
        AttributeValue cancelled = item.get("cancelled");
        AttributeValue source = item.get("source");
        return new Broadcast(text(item, "id"), text(item, "app"), text(item, "payloadHash"), text(item, "message"),
                source == null ? null : source.s(), number(item, "total"), counts,
                cancelled != null && Boolean.TRUE.equals(cancelled.bool()),
                paused == null ? null : Instant.ofEpochMilli(Long.parseLong(paused.n())),
                Instant.ofEpochMilli(number(item, "createdAt")),
                new Broadcast.Checkpoint(number(item, "planOffset"), number(item, "planLines"), (int) number(item, "planChunks"),
                        number(item, "planRecipients")));
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

    private BroadcastStoreException failure(String action, RuntimeException e) {
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
