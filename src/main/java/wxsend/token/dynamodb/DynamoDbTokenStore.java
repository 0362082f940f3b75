package wxsend.token.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import wxsend.token.AccessToken;
import wxsend.token.TokenStore;
import wxsend.token.TokenStoreException;

/**
 * One item per app: partition key {@code appid}, the token, its absolute expiry in epoch
 * milliseconds, and a {@code ttl} (epoch seconds) that lets DynamoDB delete items long expired.
 */
public class DynamoDbTokenStore implements TokenStore {

    static final String APPID = "appid";
    static final String TOKEN = "accessToken";
    static final String EXPIRES_AT = "expiresAt";
    static final String FETCHED_AT = "fetchedAt";
    static final String TTL = "ttl";
    /** Items stay a day past expiry so an operator can still see the last token's timing. */
    static final Duration TTL_GRACE = Duration.ofDays(1);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbTokenStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<AccessToken> read(String appid) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                    .key(Map.of(APPID, s(appid))).consistentRead(true)).item();
            if (item == null || !item.containsKey(TOKEN) || !item.containsKey(EXPIRES_AT)) {
                return Optional.empty();
            }
            return Optional.of(new AccessToken(item.get(TOKEN).s(),
                    Instant.ofEpochMilli(Long.parseLong(item.get(EXPIRES_AT).n()))));
        } catch (SdkException e) {
            throw failure("read", e);
        }
    }

    @Override
    public boolean saveIfNewer(String appid, AccessToken token) {
        long expiresAt = token.expiresAt().toEpochMilli();
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(Map.of(APPID, s(appid), TOKEN, s(token.value()), EXPIRES_AT, n(expiresAt),
                            FETCHED_AT, n(System.currentTimeMillis()),
                            TTL, n(token.expiresAt().plus(TTL_GRACE).getEpochSecond())))
                    .conditionExpression("attribute_not_exists(#appid) OR #expiresAt < :expiresAt")
                    .expressionAttributeNames(Map.of("#appid", APPID, "#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":expiresAt", n(expiresAt))));
            return true;
        } catch (ConditionalCheckFailedException newerKept) {
            return false;
        } catch (SdkException e) {
            throw failure("write", e);
        }
    }

    @Override
    public void expireIfCurrent(String appid, String tokenValue) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of(APPID, s(appid)))
                    .updateExpression("SET #expiresAt = :zero")
                    .conditionExpression("#token = :refused")
                    .expressionAttributeNames(Map.of("#expiresAt", EXPIRES_AT, "#token", TOKEN))
                    .expressionAttributeValues(Map.of(":zero", n(0), ":refused", s(tokenValue))));
        } catch (ConditionalCheckFailedException alreadyReplaced) {
            // Another instance stored a newer token: leave it.
        } catch (SdkException e) {
            throw failure("update", e);
        }
    }

    private TokenStoreException failure(String action, SdkException e) {
        // The SDK's message names the table and the operation, never item values.
        return new TokenStoreException("token table " + action + " failed: " + e.getClass().getSimpleName(), e);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
