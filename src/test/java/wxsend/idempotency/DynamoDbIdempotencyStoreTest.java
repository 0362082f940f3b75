package wxsend.idempotency;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.idempotency.dynamodb.DynamoDbIdempotencyStore;
import wxsend.support.StandIns;

@Tag("unit")
class DynamoDbIdempotencyStoreTest extends IdempotencyStoreContract {

    private final DynamoDbIdempotencyStore store = new DynamoDbIdempotencyStore(StandIns.dynamo(), StandIns.IDEMPOTENCY_TABLE);

    @Override
    IdempotencyStore store() {
        return store;
    }

    @Test
    void aMalformedRecordIsANamedStoreFailureNotACrash() {
        StandIns.dynamo().putItem(r -> r.tableName(StandIns.IDEMPOTENCY_TABLE)
                .item(Map.of("id", AttributeValue.fromS(id), "expiresAt", AttributeValue.fromN("99999999999999"))));
        Instant now = Instant.now();
        IdempotencyStoreException e = assertThrows(IdempotencyStoreException.class,
                () -> store.claim(id, "h", "o", now, now.plusSeconds(1), now.plusSeconds(2), true));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    @Test
    void aMissingTableIsAStoreFailureNotACrash() {
        DynamoDbIdempotencyStore wrongTable = new DynamoDbIdempotencyStore(StandIns.dynamo(), "no-such-table");
        Instant now = Instant.now();
        assertThrows(IdempotencyStoreException.class,
                () -> wrongTable.claim("id", "h", "o", now, now.plusSeconds(1), now.plusSeconds(2), true));
        assertThrows(IdempotencyStoreException.class, () -> wrongTable.complete("id", "o", "r", now));
        assertThrows(IdempotencyStoreException.class, () -> wrongTable.release("id", "o"));
        assertThrows(IdempotencyStoreException.class, () -> wrongTable.markAttempted("id", "o", now));
    }
}
