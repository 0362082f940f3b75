package wxsend.token;

import wxsend.token.memory.InMemoryTokenStore;

class InMemoryTokenStoreTest extends TokenStoreContract {

    private final InMemoryTokenStore store = new InMemoryTokenStore();

    @Override
    TokenStore store() {
        return store;
    }
}
