package wxsend.idempotency;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import wxsend.config.WxsendConfig;
import wxsend.idempotency.dynamodb.DynamoDbIdempotencyStore;
import wxsend.idempotency.memory.InMemoryIdempotencyStore;

/** Wires idempotency to the store IDEMPOTENCY_STORE names; "off" switches it off. */
@ApplicationScoped
class IdempotencySetup {

    @Produces
    @ApplicationScoped
    OnceOnly onceOnly(WxsendConfig config, Instance<DynamoDbClient> dynamo) {
        WxsendConfig.Idempotency settings = config.idempotency();
        Clock clock = Clock.systemUTC();
        IdempotencyStore store = switch (settings.store()) {
            case "off" -> null;
            case "memory" -> new InMemoryIdempotencyStore();
            default -> new DynamoDbIdempotencyStore(dynamo.get(), settings.table().orElseThrow());
        };
        return new OnceOnly(new Idempotency(store, settings.inProgressExpiry(), clock),
                new Unrecorded(Unrecorded.MAX_ENTRIES, clock));
    }
}
