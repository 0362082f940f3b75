package wxsend.token;

import org.junit.jupiter.api.Tag;

import wxsend.token.memory.InMemoryTokenStore;

@Tag("unit")
class InMemoryTokenStoreTest extends LeasingTokenStoreContract {

    private final InMemoryTokenStore store = new InMemoryTokenStore();

    @Override
    TokenStore store() {
        return store;
    }
}
