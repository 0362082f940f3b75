package wxsend.token;

import wxsend.token.memory.InMemoryTokenStore;

class InMemoryTokenStoreTest extends LeasingTokenStoreContract {

    private final InMemoryTokenStore store = new InMemoryTokenStore();

    @Override
    TokenStore store() {
        return store;
    }
}
