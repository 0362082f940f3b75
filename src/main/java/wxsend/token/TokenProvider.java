package wxsend.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Hands out a usable access_token per app: from memory, else from the store, else from WeChat.
 * A cold start with a valid stored token never fetches. Store and fetch calls block, so they run
 * on the worker pool, never on the caller's event loop.
 */
public class TokenProvider {

    private static final Logger LOG = Logger.getLogger(TokenProvider.class);

    private final TokenStore store;
    private final TokenFetcher fetcher;
    private final Duration refreshMargin;
    private final Clock clock;
    private final Map<String, AccessToken> memory = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public TokenProvider(TokenStore store, TokenFetcher fetcher, Duration refreshMargin, Clock clock) {
        this.store = store;
        this.fetcher = fetcher;
        this.refreshMargin = refreshMargin;
        this.clock = clock;
    }

    /** Fails with {@link TokenUnavailableException} or {@link TokenStoreException}. */
    public Uni<AccessToken> current(String appid) {
        AccessToken known = memory.get(appid);
        if (known != null && known.usableAt(clock.instant(), refreshMargin)) {
            return Uni.createFrom().item(known);
        }
        return Uni.createFrom().item(() -> load(appid)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** After WeChat refused this token: forget it here and in the store, if nobody replaced it yet. */
    public Uni<Void> refused(String appid, AccessToken refused) {
        return Uni.createFrom().<Void> item(() -> {
            memory.remove(appid, refused);
            store.expireIfCurrent(appid, refused.value());
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private AccessToken load(String appid) {
        // One refresh per app at a time within this instance; across instances comes with the lease.
        synchronized (locks.computeIfAbsent(appid, k -> new Object())) {
            AccessToken known = memory.get(appid);
            if (known != null && known.usableAt(clock.instant(), refreshMargin)) {
                return known;
            }
            Optional<AccessToken> stored = store.read(appid).filter(this::usable);
            if (stored.isPresent()) {
                memory.put(appid, stored.get());
                return stored.get();
            }
            AccessToken fresh = fetcher.fetch(appid);
            LOG.infof("fetched a new access_token for app %s, valid until %s", appid, fresh.expiresAt());
            AccessToken kept = store.saveIfNewer(appid, fresh) ? fresh
                    : store.read(appid).filter(this::usable).orElse(fresh);
            memory.put(appid, kept);
            return kept;
        }
    }

    private boolean usable(AccessToken token) {
        return token.usableAt(clock.instant(), refreshMargin);
    }
}
