package wxsend.idempotency;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
    void aMissingTableIsAStoreFailureNotACrash() {
        DynamoDbIdempotencyStore wrongTable = new DynamoDbIdempotencyStore(StandIns.dynamo(), "no-such-table");
        Instant now = Instant.now();
        assertThrows(IdempotencyStoreException.class, () -> wrongTable.claim("id", "h", "o", now, now.plusSeconds(1)));
        assertThrows(IdempotencyStoreException.class, () -> wrongTable.complete("id", "o", "r", now));
        assertThrows(IdempotencyStoreException.class, () -> wrongTable.release("id", "o"));
    }
}
