package wxsend.idempotency.dynamodb;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.idempotency.IdempotencyRecord;
import wxsend.idempotency.IdempotencyRecord.State;
import wxsend.idempotency.IdempotencyStoreException;

/** The idempotency table's attributes, to and from {@link IdempotencyRecord}; kept apart from the store's calls. */
final class Items {

    static final String ID = "id";
    static final String STATE = "state";
    static final String HASH = "payloadHash";
    static final String OWNER = "owner";
    static final String RESULT = "result";
    static final String EXPIRES_AT = "expiresAt";
    static final String CLAIMED_AT = "claimedAt";
    static final String TTL = "ttl";
    static final String ATTEMPTED = "attempted";

    private Items() {
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of(ID, s(id));
    }

    static Map<String, AttributeValue> inProgress(String id, String payloadHash, String owner, Instant now,
            Instant inProgressUntil, Instant keepUntil, boolean attempted) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(id));
        item.put(STATE, s(State.IN_PROGRESS.name()));
        item.put(HASH, s(payloadHash));
        item.put(OWNER, s(owner));
        item.put(CLAIMED_AT, n(now.toEpochMilli()));
        item.put(EXPIRES_AT, n(inProgressUntil.toEpochMilli()));
        item.put(TTL, n(ttl(inProgressUntil, keepUntil)));
        item.put(ATTEMPTED, AttributeValue.fromBool(attempted));
        return item;
    }

    /** When DynamoDB may delete a claim's item: the later of its claim's expiry and its memory. */
    static long ttl(Instant inProgressUntil, Instant keepUntil) {
        return (keepUntil.isAfter(inProgressUntil) ? keepUntil : inProgressUntil).getEpochSecond() + 1;
    }

    /** The record an item holds; one missing what every record has is a store failure, named, not a crash. */
    static IdempotencyRecord record(Map<String, AttributeValue> item) {
        String id = text(item, ID);
        String state = text(item, STATE);
        String hash = text(item, HASH);
        Long expiresAt = number(item, EXPIRES_AT);
        if (id == null || state == null || hash == null || expiresAt == null
                || !(state.equals(State.IN_PROGRESS.name()) || state.equals(State.COMPLETED.name()))) {
            throw new IdempotencyStoreException("idempotency table holds a malformed record (state, payloadHash or "
                    + "expiresAt missing or wrong)", null);
        }
        Long claimedAt = number(item, CLAIMED_AT);
        // Absent in items written before it was kept: such a holder may have posted.
        AttributeValue attempted = item.get(ATTEMPTED);
        return new IdempotencyRecord(id, State.valueOf(state), hash, text(item, RESULT), Instant.ofEpochMilli(expiresAt),
                claimedAt == null ? null : Instant.ofEpochMilli(claimedAt), attempted == null || !Boolean.FALSE.equals(attempted.bool()));
    }

    static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            return null;
        }
        try {
            return Long.parseLong(value.n());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
