package wxsend.token.dynamodb;

import java.io.UncheckedIOException;
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
 * Two items per app, both under partition key {@code appid}.
 * <ul>
 * <li>The token item, keyed by the appid: the token, its absolute expiry in epoch milliseconds, a
 * {@code ttl} in epoch seconds so that DynamoDB deletes items long expired, and, while an instance
 * refreshes, the lease ({@code leaseOwner}, {@code leaseExpiresAt}). Storing a token replaces
 * the item, which ends the lease.</li>
 * <li>The forced-refresh counter, keyed {@code {appid}#force}: WeChat's day, the count that day,
 * and when the last one was made.</li>
 * </ul>
 * Every change is a conditional write, so instances never overwrite each other's newer state.
 */
public class DynamoDbTokenStore implements TokenStore {

    static final String APPID = "appid";
    static final String TOKEN = "accessToken";
    static final String EXPIRES_AT = "expiresAt";
    static final String FETCHED_AT = "fetchedAt";
    static final String TTL = "ttl";
    static final String LEASE_OWNER = "leaseOwner";
    static final String LEASE_EXPIRES_AT = "leaseExpiresAt";
    static final String FORCE_SUFFIX = "#force";
    static final String DAY = "day";
    static final String COUNT = "count";
    static final String LAST_AT = "lastAt";
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
        } catch (SdkException | UncheckedIOException e) {
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
                    .conditionExpression("attribute_not_exists(#expiresAt) OR #expiresAt < :expiresAt")
                    .expressionAttributeNames(Map.of("#expiresAt", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":expiresAt", n(expiresAt))));
            return true;
        } catch (ConditionalCheckFailedException newerKept) {
            return false;
        } catch (SdkException | UncheckedIOException e) {
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
        } catch (SdkException | UncheckedIOException e) {
            throw failure("update", e);
        }
    }

    @Override
    public boolean tryLease(String appid, String owner, Instant now, Instant until) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of(APPID, s(appid)))
                    .updateExpression("SET #owner = :owner, #until = :until, #ttl = if_not_exists(#ttl, :ttl)")
                    .conditionExpression("attribute_not_exists(#owner) OR #until < :now OR #owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", LEASE_OWNER, "#until", LEASE_EXPIRES_AT, "#ttl", TTL))
                    .expressionAttributeValues(Map.of(":owner", s(owner), ":until", n(until.toEpochMilli()),
                            ":now", n(now.toEpochMilli()), ":ttl", n(until.plus(TTL_GRACE).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException heldByAnother) {
            return false;
        } catch (SdkException | UncheckedIOException e) {
            throw failure("lease", e);
        }
    }

    @Override
    public void releaseLease(String appid, String owner) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of(APPID, s(appid)))
                    .updateExpression("REMOVE #owner, #until")
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", LEASE_OWNER, "#until", LEASE_EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
        } catch (ConditionalCheckFailedException notMine) {
            // already ended by a stored token, or taken over after it lapsed
        } catch (SdkException | UncheckedIOException e) {
            throw failure("lease release", e);
        }
    }

    @Override
    public boolean tryForce(String appid, String day, Instant now, int cap, Duration spacing) {
        Map<String, AttributeValue> key = Map.of(APPID, s(appid + FORCE_SUFFIX));
        Map<String, String> names = Map.of("#day", DAY, "#count", COUNT, "#last", LAST_AT, "#ttl", TTL);
        Map<String, AttributeValue> values = Map.of(":day", s(day), ":one", n(1), ":cap", n(cap),
                ":now", n(now.toEpochMilli()), ":cutoff", n(now.minus(spacing).toEpochMilli()),
                ":ttl", n(now.plus(Duration.ofDays(2)).getEpochSecond()));
        try {
            // Another forced refresh on the same day, under the cap and far enough from the last.
            dynamo.updateItem(r -> r.tableName(table).key(key)
                    .updateExpression("SET #count = #count + :one, #last = :now, #ttl = :ttl")
                    .conditionExpression("#day = :day AND #count < :cap AND #last <= :cutoff")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException notTheSameDayOrNotAllowed) {
            // fall through: maybe the first of a new day
        } catch (SdkException | UncheckedIOException e) {
            throw failure("forced-refresh count", e);
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key)
                    .updateExpression("SET #day = :day, #count = :one, #last = :now, #ttl = :ttl")
                    .conditionExpression("(attribute_not_exists(#day) OR #day <> :day) "
                            + "AND (attribute_not_exists(#last) OR #last <= :cutoff) AND :one <= :cap")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException notAllowed) {
            return false;
        } catch (SdkException | UncheckedIOException e) {
            throw failure("forced-refresh count", e);
        }
    }

    private TokenStoreException failure(String action, RuntimeException e) {
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
