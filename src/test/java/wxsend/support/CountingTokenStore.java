package wxsend.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import wxsend.token.AccessToken;
import wxsend.token.TokenStore;

/** A real store, with its reads counted: what the token benchmark reports as store reads. */
public final class CountingTokenStore implements TokenStore {

    private final TokenStore store;
    private final AtomicInteger reads = new AtomicInteger();

    public CountingTokenStore(TokenStore store) {
        this.store = store;
    }

    public int reads() {
        return reads.get();
    }

    @Override
    public Optional<AccessToken> read(String appid) {
        reads.incrementAndGet();
        return store.read(appid);
    }

    @Override
    public boolean saveIfNewer(String appid, AccessToken token) {
        return store.saveIfNewer(appid, token);
    }

    @Override
    public void expireIfCurrent(String appid, String tokenValue) {
        store.expireIfCurrent(appid, tokenValue);
    }

    @Override
    public boolean tryLease(String appid, String owner, Instant now, Instant until) {
        return store.tryLease(appid, owner, now, until);
    }

    @Override
    public void releaseLease(String appid, String owner) {
        store.releaseLease(appid, owner);
    }

    @Override
    public boolean tryForce(String appid, String day, Instant now, int cap, Duration spacing) {
        return store.tryForce(appid, day, now, cap, spacing);
    }
}
