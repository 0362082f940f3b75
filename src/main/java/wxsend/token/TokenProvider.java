package wxsend.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Hands out a usable access_token per app: from memory, else from the store, else from WeChat.
 * <ul>
 * <li>A cold start with a valid stored token never fetches.</li>
 * <li>When a refresh is due, one instance across the deployment fetches: it holds the store's
 * lease while the others wait briefly and read what it stored, or keep using a token that has
 * not yet expired. A lease whose holder died expires, and another instance takes over.</li>
 * <li>After WeChat refuses the stored token, a forced refresh (stable_token) is made only within
 * the daily cap and spacing, which the store counts for every instance.</li>
 * <li>With the store unreachable, tokens come from WeChat in normal stable_token mode, which
 * invalidates nobody's, and stay in memory.</li>
 * </ul>
 * Store and fetch calls block, so they run on the worker pool.
 */
public class TokenProvider {

    private static final Logger LOG = Logger.getLogger(TokenProvider.class);
    /** WeChat's day for quotas is Beijing's: UTC+8, no daylight saving. */
    private static final ZoneOffset WECHAT_DAY = ZoneOffset.ofHours(8);

    private final TokenStore store;
    private final TokenFetcher fetcher;
    private final TokenSettings settings;
    private final Clock clock;
    private final String owner = UUID.randomUUID().toString();
    private final Map<String, AccessToken> memory = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final AtomicBoolean storeOutageLogged = new AtomicBoolean();

    public TokenProvider(TokenStore store, TokenFetcher fetcher, TokenSettings settings, Clock clock) {
        this.store = store;
        this.fetcher = fetcher;
        this.settings = settings;
        this.clock = clock;
    }

    /** Fails with {@link TokenUnavailableException}. */
    public Uni<AccessToken> current(String appid) {
        return current(appid, Long.MAX_VALUE);
    }

    /**
     * Fails with {@link TokenUnavailableException}, at the latest soon after {@code deadline} (epoch
     * millis, wall time) when it has to wait for another send's refresh, here or elsewhere.
     */
    public Uni<AccessToken> current(String appid, long deadline) {
        AccessToken known = memory.get(appid);
        if (known != null && usable(known)) {
            return Uni.createFrom().item(known);
        }
        return Uni.createFrom().item(() -> load(appid, deadline)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Whether this instance holds a token for {@code appid} that stays usable for {@code within}, so
     * that a send would post at once, without waiting on the token store or WeChat.
     */
    public boolean ready(String appid, Duration within) {
        AccessToken known = memory.get(appid);
        // Usable for the whole send, so no refresh can come between its claim and its post.
        return known != null && known.usableAt(clock.instant().plus(within), settings.refreshMargin());
    }

    /** After WeChat refused this token: replace it, forcing a new one only where that is safe and allowed. */
    public Uni<Void> refused(String appid, AccessToken refused) {
        return Uni.createFrom().<Void> item(() -> {
            replaceRefused(appid, refused);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private AccessToken load(String appid, long deadline) {
        ReentrantLock lock = lock(appid);
        // Another send of this instance may be refreshing: wait for it, but never past our deadline.
        if (!tryLock(lock, deadline)) {
            throw new TokenUnavailableException(true, null, null, "another send is refreshing the token and did not finish in time");
        }
        try {
            AccessToken known = memory.get(appid);
            if (known != null && usable(known)) {
                return known;
            }
            Optional<AccessToken> stored;
            try {
                stored = store.read(appid);
            } catch (TokenStoreException e) {
                return withoutStore(appid, e);
            }
            if (stored.isPresent() && usable(stored.get())) {
                return remember(appid, stored.get());
            }
            return refreshOnce(appid, stored.filter(this::notExpired).orElse(null), deadline);
        } finally {
            lock.unlock();
        }
    }

    /** One instance refreshes; the others wait for its result, or use a token that still works. */
    private AccessToken refreshOnce(String appid, AccessToken stillValid, long deadline) {
        Instant giveUp = clock.instant().plus(settings.leaseDuration().multipliedBy(2));
        try {
            while (true) {
                Instant now = clock.instant();
                if (store.tryLease(appid, owner, now, now.plus(settings.leaseDuration()))) {
                    return withLease(appid);
                }
                if (stillValid != null) {
                    return remember(appid, stillValid);
                }
                if (now.isAfter(giveUp) || System.currentTimeMillis() >= deadline) {
                    throw new TokenUnavailableException(true, null, null, "another instance holds the refresh lease");
                }
                pause();
                Optional<AccessToken> stored = store.read(appid).filter(this::usable);
                if (stored.isPresent()) {
                    return remember(appid, stored.get());
                }
            }
        } catch (TokenStoreException e) {
            return withoutStore(appid, e);
        }
    }

    /** Holding the lease: a store failure from here on must not leave it held until it lapses. */
    private AccessToken withLease(String appid) {
        try {
            // The lease may be free because its last holder just stored a token: look again.
            Optional<AccessToken> justStored = store.read(appid).filter(this::usable);
            if (justStored.isPresent()) {
                store.releaseLease(appid, owner);
                return remember(appid, justStored.get());
            }
        } catch (TokenStoreException e) {
            releaseQuietly(appid);
            throw e;
        }
        return fetchAndKeep(appid, false);
    }

    private AccessToken fetchAndKeep(String appid, boolean force) {
        AccessToken fresh;
        try {
            fresh = fetcher.fetch(appid, force);
        } catch (RuntimeException e) {
            releaseQuietly(appid);
            throw e;
        }
        LOG.infof("fetched %s access_token for app %s, valid until %s", force ? "a forced new" : "an", appid,
                fresh.expiresAt());
        try {
            if (store.saveIfNewer(appid, fresh)) {
                return remember(appid, fresh);
            }
            store.releaseLease(appid, owner);
            return remember(appid, store.read(appid).filter(this::usable).orElse(fresh));
        } catch (TokenStoreException e) {
            noteOutage(e);
            releaseQuietly(appid);
            return remember(appid, fresh);
        }
    }

    /** The lease expires by itself; failing to end it early must not hide why the fetch failed. */
    private void releaseQuietly(String appid) {
        try {
            store.releaseLease(appid, owner);
        } catch (TokenStoreException ignored) {
            // it lapses after the lease duration
        }
    }

    private void replaceRefused(String appid, AccessToken refused) {
        ReentrantLock lock = lock(appid);
        lock.lock();
        try {
            memory.remove(appid, refused);
            try {
                Optional<AccessToken> stored = store.read(appid);
                if (stored.isPresent() && !stored.get().value().equals(refused.value()) && usable(stored.get())) {
                    remember(appid, stored.get());
                    return;
                }
                // The refused token is the stored one: nobody has replaced it yet.
                if (fetcher.routineFetchIsHarmless()) {
                    if (mayForce(appid)) {
                        fetchAndKeep(appid, true);
                        return;
                    }
                    LOG.warnf("app %s: access_token refused, but a forced refresh is not allowed now "
                            + "(at most %d a day, %s apart)", appid, settings.forceDailyCap(), settings.forceSpacing());
                }
                store.expireIfCurrent(appid, refused.value());
            } catch (TokenStoreException e) {
                noteOutage(e);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean mayForce(String appid) {
        Instant now = clock.instant();
        return settings.forceDailyCap() > 0 && store.tryForce(appid, LocalDate.ofInstant(now, WECHAT_DAY).toString(), now,
                settings.forceDailyCap(), settings.forceSpacing());
    }

    /** Keeps sending while the store is down, in the one mode that cannot hurt other instances. */
    private AccessToken withoutStore(String appid, TokenStoreException e) {
        noteOutage(e);
        if (!fetcher.routineFetchIsHarmless()) {
            throw new TokenUnavailableException(true, null, null,
                    "the token store is unreachable, and with TOKEN_ENDPOINT=legacy a fetch would invalidate other instances' tokens");
        }
        return remember(appid, fetcher.fetch(appid, false));
    }

    private void noteOutage(TokenStoreException e) {
        if (storeOutageLogged.compareAndSet(false, true)) {
            LOG.warnf("%s: tokens are kept in this instance's memory until the store answers again", e.getMessage());
        }
    }

    private AccessToken remember(String appid, AccessToken token) {
        memory.put(appid, token);
        return token;
    }

    private ReentrantLock lock(String appid) {
        return locks.computeIfAbsent(appid, k -> new ReentrantLock());
    }

    private static boolean tryLock(ReentrantLock lock, long deadline) {
        try {
            long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.currentTimeMillis());
            return lock.tryLock(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean usable(AccessToken token) {
        return token.usableAt(clock.instant(), settings.refreshMargin());
    }

    private boolean notExpired(AccessToken token) {
        return clock.instant().isBefore(token.expiresAt());
    }

    private static void pause() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(50, 150));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailableException(true, null, null, "interrupted while waiting for the refresh lease");
        }
    }
}
