package wxsend.broadcast.dynamodb;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import wxsend.broadcast.BroadcastStoreException;
import wxsend.broadcast.ChunkLedgers;
import wxsend.broadcast.Ledger;

/**
 * Chunk ledgers in the broadcast table ({@link LedgerItems}): a put conditional on the version
 * read, and for a chunk's last marks a transaction of that put and an ADD to one totals shard.
 * Each ledger is a few hundred bytes (one character a recipient), so each write is one write unit.
 */
public class DynamoDbChunkLedgers implements ChunkLedgers {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbChunkLedgers(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Ledger> read(String broadcast, int seq) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                    .key(LedgerItems.key(LedgerItems.ledgerId(broadcast, seq))).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(LedgerItems.ledger(item));
        } catch (SdkException | UncheckedIOException e) {
            throw failure("ledger read", e);
        }
    }

    @Override
    public boolean write(String broadcast, int seq, Ledger next, Instant keepUntil) {
        Put put = put(broadcast, seq, next, keepUntil);
        try {
            dynamo.putItem(r -> {
                r.tableName(table).item(put.item()).conditionExpression(put.conditionExpression())
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                if (put.hasExpressionAttributeValues()) {
                    r.expressionAttributeValues(put.expressionAttributeValues());
                }
            });
            return true;
        } catch (ConditionalCheckFailedException moved) {
            // The stored ledger is the very one written: this write landed, its answer was lost, and the SDK's
            // retry met it. Another delivery's ledger differs, at least by its owner or its moment.
            return moved.hasItem() && put.item().equals(moved.item());
        } catch (SdkException | UncheckedIOException e) {
            throw failure("ledger write", e);
        }
    }

    @Override
    public boolean settle(String broadcast, int seq, Ledger last, Map<String, Long> counts, Instant keepUntil) {
        StringBuilder add = new StringBuilder();
        Map<String, String> names = new HashMap<>(Map.of("#ttl", "ttl"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":ttl", LedgerItems.n(keepUntil.getEpochSecond())));
        int i = 0;
        for (Map.Entry<String, Long> count : counts.entrySet()) {
            add.append(i == 0 ? " ADD " : ", ").append("#c").append(i).append(" :c").append(i);
            names.put("#c" + i, LedgerItems.COUNT_PREFIX + count.getKey());
            values.put(":c" + i, LedgerItems.n(count.getValue()));
            i++;
        }
        Update shard = Update.builder().tableName(table)
                .key(LedgerItems.key(LedgerItems.shardId(broadcast, Math.floorMod(seq, LedgerItems.SHARDS))))
                .updateExpression("SET #ttl = :ttl" + add).expressionAttributeNames(names).expressionAttributeValues(values)
                .build();
        Put put = put(broadcast, seq, last.countedNow(), keepUntil).toBuilder()
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build();
        try {
            dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().put(put).build(),
                    TransactWriteItem.builder().update(shard).build()));
            return true;
        } catch (TransactionCanceledException cancelled) {
            if (cancelled.hasCancellationReasons() && !cancelled.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(code(cancelled.cancellationReasons().get(0)))) {
                // As for write: the stored ledger being this one means this transaction landed, shard and all.
                CancellationReason reason = cancelled.cancellationReasons().get(0);
                return reason.hasItem() && put.item().equals(reason.item());
            }
            // Two chunks' transactions met on one totals shard (TransactionConflict): the caller tries again.
            throw new BroadcastStoreException("broadcast table count met another at the same moment", cancelled, true);
        } catch (SdkException | UncheckedIOException e) {
            throw failure("count", e);
        }
    }

    @Override
    public void keep(String broadcast, int seq, Instant keepUntil) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(LedgerItems.key(LedgerItems.ledgerId(broadcast, seq)))
                    .updateExpression("SET #ttl = :ttl").conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":ttl", LedgerItems.n(keepUntil.getEpochSecond()))));
        } catch (ConditionalCheckFailedException none) {
            // No ledger yet: the chunk has claimed nobody, so there is nothing to keep.
        } catch (SdkException | UncheckedIOException e) {
            throw failure("ledger keep", e);
        }
    }

    /** The whole ledger, on the condition that the stored one is the version it follows. */
    private Put put(String broadcast, int seq, Ledger next, Instant keepUntil) {
        Put.Builder put = Put.builder().tableName(table).item(LedgerItems.item(broadcast, seq, next, keepUntil));
        return next.version() <= 1 ? put.conditionExpression("attribute_not_exists(id)").build()
                : put.conditionExpression("ver = :prev").expressionAttributeValues(Map.of(":prev",
                        LedgerItems.n(next.version() - 1))).build();
    }

    private static String code(CancellationReason reason) {
        return reason == null ? null : reason.code();
    }

    private static BroadcastStoreException failure(String action, RuntimeException e) {
        return new BroadcastStoreException("broadcast table " + action + " failed: " + e.getClass().getSimpleName(), e);
    }
}
