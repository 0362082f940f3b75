package wxsend.idempotency;

import org.junit.jupiter.api.Tag;

import wxsend.idempotency.memory.InMemoryIdempotencyStore;

@Tag("unit")
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

    @Override
    IdempotencyStore store() {
        return store;
    }
}
