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
    Idempotency idempotency(WxsendConfig config, Instance<DynamoDbClient> dynamo) {
        WxsendConfig.Idempotency settings = config.idempotency();
        IdempotencyStore store = switch (settings.store()) {
            case "off" -> null;
            case "memory" -> new InMemoryIdempotencyStore();
            default -> new DynamoDbIdempotencyStore(dynamo.get(), settings.table().orElseThrow());
        };
        return new Idempotency(store, settings.inProgressExpiry(), settings.ttl(), Clock.systemUTC());
    }
}
