package wxsend.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import wxsend.config.AppCredentials;

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
    public Uni<AccessToken> current(AppCredentials app) {
        AccessToken known = memory.get(app.appid());
        if (known != null && known.usableAt(clock.instant(), refreshMargin)) {
            return Uni.createFrom().item(known);
        }
        return Uni.createFrom().item(() -> load(app)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** After WeChat refused this token: forget it here and in the store, if nobody replaced it yet. */
    public Uni<Void> refused(AppCredentials app, AccessToken refused) {
        return Uni.createFrom().<Void> item(() -> {
            memory.remove(app.appid(), refused);
            store.expireIfCurrent(app.appid(), refused.value());
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private AccessToken load(AppCredentials app) {
        // One refresh per app at a time within this instance; across instances comes with the lease.
        synchronized (locks.computeIfAbsent(app.appid(), k -> new Object())) {
            AccessToken known = memory.get(app.appid());
            if (known != null && known.usableAt(clock.instant(), refreshMargin)) {
                return known;
            }
            Optional<AccessToken> stored = store.read(app.appid()).filter(this::usable);
            if (stored.isPresent()) {
                memory.put(app.appid(), stored.get());
                return stored.get();
            }
            AccessToken fresh = fetcher.fetch(app);
            LOG.infof("fetched a new access_token for app %s, valid until %s", app.appid(), fresh.expiresAt());
            AccessToken kept = store.saveIfNewer(app.appid(), fresh) ? fresh
                    : store.read(app.appid()).filter(this::usable).orElse(fresh);
            memory.put(app.appid(), kept);
            return kept;
        }
    }

    private boolean usable(AccessToken token) {
        return token.usableAt(clock.instant(), refreshMargin);
    }
}
