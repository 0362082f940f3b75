package wxsend.broadcast;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.support.StandIns;

/** A benchmark's view of a broadcast's counts, read from DynamoDB Local directly, not through the counter. */
final class BroadcastCounts {

    /** LedgerItems.SHARDS: the broadcast's totals are spread over this many items. */
    private static final int SHARDS = 16;

    private BroadcastCounts() {
    }

    /**
     * Polls the broadcast until its counts reach its total: every recipient settled. The counts are
     * the record's own (INVALID, REPEAT) and its totals shards' ({@code id#t0}…), as
     * {@code GET /broadcasts/{id}} adds them.
     */
    static Map<String, Long> awaitCounted(String source, int size, Duration stalled) throws InterruptedException {
        long lastMove = System.nanoTime();
        long lastSum = -1;
        while (System.nanoTime() - lastMove < stalled.toNanos()) {
            for (Map<String, AttributeValue> item : StandIns.dynamo().scan(r -> r.tableName(StandIns.BROADCAST_TABLE)
                    .filterExpression("#source = :source").expressionAttributeNames(Map.of("#source", "source"))
                    .expressionAttributeValues(Map.of(":source", AttributeValue.fromS(source)))).items()) {
                Map<String, Long> counts = new HashMap<>();
                addCounts(item, counts);
                String id = item.get("id").s();
                for (int shard = 0; shard < SHARDS; shard++) {
                    String shardId = id + "#t" + shard;
                    addCounts(StandIns.dynamo().getItem(r -> r.tableName(StandIns.BROADCAST_TABLE)
                            .key(Map.of("id", AttributeValue.fromS(shardId)))).item(), counts);
                }
                long total = Long.parseLong(item.get("total").n());
                long sum = counts.values().stream().mapToLong(Long::longValue).sum();
                if (total == size && sum >= total) {
                    return counts;
                }
                if (sum != lastSum) {
                    lastSum = sum;
                    lastMove = System.nanoTime();
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the broadcast of " + size + " stopped: no count moved for " + stalled + " (at " + lastSum + ")");
    }

    private static void addCounts(Map<String, AttributeValue> item, Map<String, Long> counts) {
        item.forEach((name, value) -> {
            if (name.startsWith("n_")) {
                counts.merge(name.substring(2), Long.valueOf(value.n()), Long::sum);
            }
        });
    }
}
