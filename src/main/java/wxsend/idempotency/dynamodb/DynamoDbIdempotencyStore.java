package wxsend.idempotency.dynamodb;

import java.io.UncheckedIOException;
import java.time.Instant;
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
 * stored result, the expiry in epoch milliseconds, and {@code ttl} in epoch seconds so that
 * DynamoDB deletes what has expired. Expiry is checked on every claim, never left to TTL, which
 * may run days late.
 */
public class DynamoDbIdempotencyStore implements IdempotencyStore {

    static final String ID = "id";
    static final String STATE = "state";
    static final String HASH = "payloadHash";
    static final String OWNER = "owner";
    static final String RESULT = "result";
    static final String EXPIRES_AT = "expiresAt";
    static final String TTL = "ttl";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Claim claim(String id, String payloadHash, String owner, Instant now, Instant inProgressUntil) {
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(Map.of(ID, s(id), STATE, s(State.IN_PROGRESS.name()), HASH, s(payloadHash), OWNER, s(owner),
                            EXPIRES_AT, n(inProgressUntil.toEpochMilli()), TTL, n(inProgressUntil.getEpochSecond() + 1)))
                    .conditionExpression("attribute_not_exists(#id) OR #expiresAt < :now")
                    .expressionAttributeNames(Map.of("#id", ID, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claimed();
        } catch (ConditionalCheckFailedException held) {
            Map<String, AttributeValue> item = held.hasItem() ? held.item() : read(id);
            if (item == null || item.isEmpty()) {
                // Released between our write and our read: the caller may claim again.
                return claim(id, payloadHash, owner, now, inProgressUntil);
            }
            return new Held(record(item));
        } catch (SdkException | UncheckedIOException e) {
            throw failure("claim", e);
        }
    }

    @Override
    public void complete(String id, String owner, String result, Instant expiresAt) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of(ID, s(id)))
                    .updateExpression("SET #state = :completed, #result = :result, #expiresAt = :expiresAt, #ttl = :ttl")
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#state", STATE, "#result", RESULT, "#expiresAt", EXPIRES_AT,
                            "#ttl", TTL, "#owner", OWNER))
                    .expressionAttributeValues(Map.of(":completed", s(State.COMPLETED.name()), ":result", s(result),
                            ":expiresAt", n(expiresAt.toEpochMilli()), ":ttl", n(expiresAt.getEpochSecond() + 1),
                            ":owner", s(owner))));
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
                    .key(Map.of(ID, s(id)))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", OWNER))
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException takenOver) {
            // Someone else holds it now.
        } catch (SdkException | UncheckedIOException e) {
            throw failure("release", e);
        }
    }

    private Map<String, AttributeValue> read(String id) {
        return dynamo.getItem(r -> r.tableName(table).key(Map.of(ID, s(id))).consistentRead(true)).item();
    }

    private static IdempotencyRecord record(Map<String, AttributeValue> item) {
        AttributeValue result = item.get(RESULT);
        return new IdempotencyRecord(item.get(ID).s(), State.valueOf(item.get(STATE).s()), item.get(HASH).s(),
                result == null ? null : result.s(), Instant.ofEpochMilli(Long.parseLong(item.get(EXPIRES_AT).n())));
    }

    private IdempotencyStoreException failure(String action, RuntimeException e) {
        // The SDK's message names the table and request, not the item: safe to carry.
        return new IdempotencyStoreException("idempotency table " + action + " failed: " + e.getClass().getSimpleName(), e);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
