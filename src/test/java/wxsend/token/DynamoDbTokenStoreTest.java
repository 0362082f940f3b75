package wxsend.token;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import wxsend.support.StandIns;
import wxsend.token.dynamodb.DynamoDbTokenStore;

@Tag("unit")
class DynamoDbTokenStoreTest extends LeasingTokenStoreContract {

    private final DynamoDbTokenStore store = new DynamoDbTokenStore(StandIns.dynamo(), StandIns.TABLE);

    @Override
    TokenStore store() {
        return store;
    }

    @Test
    void aMissingTableIsAStoreFailureNotACrash() {
        DynamoDbTokenStore wrongTable = new DynamoDbTokenStore(StandIns.dynamo(), "no-such-table");
        assertThrows(TokenStoreException.class, () -> wrongTable.read("wx0000000000000001"));
        assertThrows(TokenStoreException.class,
                () -> wrongTable.saveIfNewer("wx0000000000000001", new AccessToken("T", Instant.now())));
    }
}
