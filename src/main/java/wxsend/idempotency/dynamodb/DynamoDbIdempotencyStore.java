package wxsend.idempotency.dynamodb;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import wxsend.idempotency.IdempotencyRecord;
import wxsend.idempotency.IdempotencyRecord.State;
import wxsend.idempotency.IdempotencyStore;
import wxsend.idempotency.IdempotencyStoreException;

/**
 * One item per key, partition key {@code id}: the state, the payload's hash, the holder, the
 * stored result, the claim's time and expiry in epoch milliseconds, and {@code ttl} in epoch
 * seconds so that DynamoDB deletes what is no longer needed. Expiry is checked on every claim,
 * never left to TTL, which may run days late; a record past its {@code ttl} is free to claim whatever
 * it holds. An IN_PROGRESS item outlives its claim's expiry
 * (its ttl is the record's whole life), so that a retry long after a crash still finds it.
 * The attribute mapping is {@link Items}.
 */
public class DynamoDbIdempotencyStore implements IdempotencyStore {

    /** A key released and claimed again between our calls, this many times in a row, is a store problem. */
    static final int CLAIM_ROUNDS = 3;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(String id, String payloadHash, String owner, Instant now, Instant inProgressUntil, Instant keepUntil,
            boolean attempted) {
        try {
            for (int round = 0; round < CLAIM_ROUNDS; round++) {
                Claim claim = claimOnce(id, payloadHash, owner, now, inProgressUntil, keepUntil, attempted);
                if (claim != null) {
                    return claim;
                }
            }
        } catch (SdkException | UncheckedIOException e) {
            throw failure("claim", e);
        }
        throw new IdempotencyStoreException("idempotency table claim failed: the key was released and taken "
                + CLAIM_ROUNDS + " times in a row", null);
    }

    /**
     * The claim, or null when the key changed hands between our calls. A free key (none, a
     * completed record past its expiry, or any record past its whole life) is claimed by one put;
     * an expired IN_PROGRESS record of the same payload is taken over by a second write that moves
     * only its holder and expiry, so that what its first holder may have done stays on it.
     */
    private Claim claimOnce(String id, String payloadHash, String owner, Instant now, Instant inProgressUntil,
            Instant keepUntil, boolean attempted) {
        Map<String, AttributeValue> item;
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(Items.inProgress(id, payloadHash, owner, now, inProgressUntil, keepUntil, attempted))
                    .conditionExpression("attribute_not_exists(#id) OR #ttl < :nowSeconds"
                            + " OR (#expiresAt < :now AND #state = :completed)")
                    .expressionAttributeNames(Map.of("#id", Items.ID, "#expiresAt", Items.EXPIRES_AT, "#ttl", Items.TTL,
                            "#state", Items.STATE))
                    .expressionAttributeValues(Map.of(":now", Items.n(now.toEpochMilli()), ":nowSeconds",
                            Items.n(now.getEpochSecond()), ":completed", Items.s(State.COMPLETED.name())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claimed();
        } catch (ConditionalCheckFailedException held) {
            item = held.hasItem() ? held.item() : read(id);
        }
        if (item == null || item.isEmpty()) {
            return null;
        }
        if (owner.equals(Items.text(item, Items.OWNER))) {
            // Our own put, whose answer was lost and which the SDK sent again.
            return new Claimed();
        }
        IdempotencyRecord record = Items.record(item);
        boolean unfinished = record.state() == State.IN_PROGRESS && record.expiresAt().isBefore(now);
        if (!unfinished || !record.payloadHash().equals(payloadHash)) {
            return new Held(record);
        }
        String previousOwner = Items.text(item, Items.OWNER);
        // Only the record as read is taken over: had its holder marked its attempts begun since, the
        // takeover would act on a stale "never began" and post a second copy.
        AttributeValue seen = item.get(Items.ATTEMPTED);
        String sameMark = seen == null ? "attribute_not_exists(#attempted)" : "#attempted = :seen";
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":owner", Items.s(owner), ":previous",
                Items.s(previousOwner), ":expiresAt", Items.n(inProgressUntil.toEpochMilli()), ":ttl",
                Items.n(Items.ttl(inProgressUntil, keepUntil)), ":now", Items.n(now.toEpochMilli())));
        if (seen != null) {
            values.put(":seen", seen);
        }
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Items.key(id))
                    .updateExpression("SET #owner = :owner, #expiresAt = :expiresAt, #ttl = :ttl")
                    .conditionExpression("#owner = :previous AND #expiresAt < :now AND " + sameMark)
                    .expressionAttributeNames(Map.of("#owner", Items.OWNER, "#expiresAt", Items.EXPIRES_AT, "#ttl", Items.TTL,
                            "#attempted", Items.ATTEMPTED))
                    .expressionAttributeValues(values));
            return new TakenOver(record);
        } catch (ConditionalCheckFailedException lost) {
            // Another retry took it over first, or our own write went through and the SDK retried it
            // after its answer was lost.
            Map<String, AttributeValue> current = read(id);
            return current != null && owner.equals(Items.text(current, Items.OWNER)) ? new TakenOver(record) : null;
        }
    }

    @Override
    public boolean markAttempted(String id, String owner, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Items.key(id))
                    .updateExpression("SET #attempted = :true, #claimedAt = :now")
                    // A holder whose claim has expired must not begin: a retry may be taking it over.
                    .conditionExpression("#owner = :owner AND #expiresAt >= :now")
                    .expressionAttributeNames(Map.of("#attempted", Items.ATTEMPTED, "#claimedAt", Items.CLAIMED_AT,
                            "#owner", Items.OWNER, "#expiresAt", Items.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":now",
                            Items.n(now.toEpochMilli()), ":owner", Items.s(owner))));
            return true;
        } catch (ConditionalCheckFailedException takenOver) {
            return false;
        } catch (SdkException | UncheckedIOException e) {
            throw failure("mark", e);
        }
    }

    @Override
    public void complete(String id, String owner, String result, Instant expiresAt) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Items.key(id))
                    .updateExpression("SET #state = :completed, #result = :result, #expiresAt = :expiresAt, #ttl = :ttl")
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#state", Items.STATE, "#result", Items.RESULT, "#expiresAt",
                            Items.EXPIRES_AT, "#ttl", Items.TTL, "#owner", Items.OWNER))
                    .expressionAttributeValues(Map.of(":completed", Items.s(State.COMPLETED.name()), ":result", Items.s(result),
                            ":expiresAt", Items.n(expiresAt.toEpochMilli()), ":ttl", Items.n(expiresAt.getEpochSecond() + 1),
                            ":owner", Items.s(owner))));
        } catch (ConditionalCheckFailedException takenOver) {
            // Our claim expired and another holder has the key: its result is the one to keep.
        } catch (SdkException | UncheckedIOException e) {
            throw failure("complete", e);
        }
    }

    @Override
    public void release(String id, String owner) {
        try {
            dynamo.deleteItem(r -> r.tableName(table)
                    .key(Items.key(id))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", Items.OWNER))
                    .expressionAttributeValues(Map.of(":owner", Items.s(owner))));
        } catch (ConditionalCheckFailedException takenOver) {
            // Someone else holds it now.
        } catch (SdkException | UncheckedIOException e) {
            throw failure("release", e);
        }
    }

    private Map<String, AttributeValue> read(String id) {
        return dynamo.getItem(r -> r.tableName(table).key(Items.key(id)).consistentRead(true)).item();
    }

    private IdempotencyStoreException failure(String action, RuntimeException e) {
        // The SDK's message names the table and request, not the item: safe to carry.
        return new IdempotencyStoreException("idempotency table " + action + " failed: " + e.getClass().getSimpleName(), e);
    }
}
