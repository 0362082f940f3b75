package wxsend.broadcast.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.broadcast.Broadcast;
import wxsend.broadcast.Ledger;
import wxsend.support.StandIns;

/**
 * The broadcast table's writes against DynamoDB Local, through the switch that can lose an
 * answer: a write that landed and whose answer was lost is retried by the SDK, meets itself, and
 * must still be known as its own, not as another delivery's (which would stop planning for good,
 * or fail a chunk that was counted).
 */
class DynamoDbBroadcastStoreTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private final DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(StandIns.applicationDynamoEndpoint())
            .region(Region.of(StandIns.REGION)).httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    private final DynamoDbBroadcastStore store = new DynamoDbBroadcastStore(dynamo, StandIns.BROADCAST_TABLE, Duration.ofDays(30),
            CLOCK);
    private final DynamoDbChunkLedgers ledgers = new DynamoDbChunkLedgers(dynamo, StandIns.BROADCAST_TABLE);
    private final String id = "bc-store-" + UUID.randomUUID();

    @AfterEach
    void nothingLeftPicked() {
        StandIns.dynamoSwitch().loseAnswerTo("\u0000never");
        StandIns.dynamoSwitch().refuse(null);
    }

    private void created() {
        store.createIfAbsent(new Broadcast(id, "wxapp", "hash", "{}", "s3://b/k", 0, Map.of(), false, null, Instant.now(),
                Broadcast.Checkpoint.START, null));
    }

    private int losing(String marker, Runnable call) {
        int before = StandIns.dynamoSwitch().lostAnswers();
        StandIns.dynamoSwitch().loseAnswerTo(marker);
        call.run();
        return StandIns.dynamoSwitch().lostAnswers() - before;
    }

    @Test
    void anAdvanceWhoseAnswerWasLostIsStillItsOwn() {
        created();
        Broadcast.Checkpoint to = new Broadcast.Checkpoint(4_096, 40, 1, 40, 0, 0);
        boolean[] moved = new boolean[1];
        assertEquals(1, losing("planBy", () -> moved[0] = store.advance(id, Broadcast.Checkpoint.START, to, Map.of("REPEAT", 2L))));

        assertTrue(moved[0], "the advance landed; its retry met it");
        Broadcast stored = store.get(id).orElseThrow();
        assertEquals(to, stored.planned());
        assertEquals(2L, stored.counts().get("REPEAT"), "added once");
    }

    @Test
    void anAdvanceFromACheckpointAnotherStepMovedIsRefused() {
        created();
        assertTrue(store.advance(id, Broadcast.Checkpoint.START, new Broadcast.Checkpoint(10, 1, 0, 1, 0, 0), Map.of()));
        assertFalse(store.advance(id, Broadcast.Checkpoint.START, new Broadcast.Checkpoint(10, 1, 0, 1, 0, 0), Map.of()),
                "the same checkpoint, written by another step");
    }

    @Test
    void planningEndsOnceEvenWhenItsAnswerWasLost() {
        created();
        assertEquals(1, losing(":zero", () -> store.planned(id, 12, Map.of("REPEAT", 3L))));
        store.planned(id, 12, Map.of("REPEAT", 3L)); // a second copy of the inline planning

        Broadcast stored = store.get(id).orElseThrow();
        assertEquals(12, stored.total());
        assertEquals(3L, stored.counts().get("REPEAT"), "counted once");
    }

    @Test
    void aLedgerWriteWhoseAnswerWasLostIsStillItsOwn() {
        created();
        String owner = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Ledger claimed = new Ledger("fp", "~~.", 1, owner, now, now.plusSeconds(60), false, Map.of());
        boolean[] written = new boolean[1];
        assertEquals(1, losing(owner, () -> written[0] = ledgers.write(id, 0, claimed, now.plus(Duration.ofDays(30)))));

        assertTrue(written[0]);
        assertEquals(claimed, ledgers.read(id, 0).orElseThrow());
        Ledger another = new Ledger("fp", "~~~", 1, UUID.randomUUID().toString(), now, now.plusSeconds(60), false, Map.of());
        assertFalse(ledgers.write(id, 0, another, now.plus(Duration.ofDays(30))), "another delivery's claim of the same version");
    }

    @Test
    void aChunkCountedWhoseAnswerWasLostIsCountedOnceAndKnownAsCounted() {
        created();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Ledger claimed = new Ledger("fp", "~~", 1, "owner", now, now.plusSeconds(60), false, Map.of());
        assertTrue(ledgers.write(id, 3, claimed, now.plus(Duration.ofDays(30))));
        Ledger last = new Ledger("fp", "SS", 2, null, null, null, false, Map.of());
        boolean[] counted = new boolean[1];
        assertEquals(1, losing("TransactItems", () -> counted[0] = ledgers.settle(id, 3, last, Map.of("SENT", 2L),
                now.plus(Duration.ofDays(30)))));

        // The SDK retries a transaction under the same ClientRequestToken, which DynamoDB may answer as done by
        // itself; the stored ledger's check answers the retries it does not (after its 10 minutes). Either way:
        assertTrue(counted[0], "the transaction landed; its retry met it");
        assertTrue(ledgers.read(id, 3).orElseThrow().counted());
        assertEquals(2L, store.tally(id).orElseThrow().counts().get("SENT"), "counted once");
    }

    @Test
    void keepingABroadcastKeepsItsTotals() {
        created();
        Instant now = Instant.now();
        assertTrue(ledgers.write(id, 5, new Ledger("fp", "~", 1, "o", now, now.plusSeconds(60), false, Map.of()), now.plusSeconds(60)));
        assertTrue(ledgers.settle(id, 5, new Ledger("fp", "S", 2, null, null, null, false, Map.of()), Map.of("SENT", 1L),
                now.plusSeconds(60)));
        Instant until = now.plus(Duration.ofDays(45));
        store.keep(id, until);

        Map<String, AttributeValue> shard = StandIns.dynamo().getItem(r -> r.tableName(StandIns.BROADCAST_TABLE)
                .key(LedgerItems.key(LedgerItems.shardId(id, 5)))).item();
        assertEquals(until.getEpochSecond(), Long.parseLong(shard.get("ttl").n()));
        assertFalse(StandIns.dynamo().getItem(r -> r.tableName(StandIns.BROADCAST_TABLE)
                .key(LedgerItems.key(LedgerItems.shardId(id, 6)))).hasItem() && !StandIns.dynamo().getItem(r -> r
                        .tableName(StandIns.BROADCAST_TABLE).key(LedgerItems.key(LedgerItems.shardId(id, 6)))).item().isEmpty(),
                "no shard made for keeping");
    }
}
