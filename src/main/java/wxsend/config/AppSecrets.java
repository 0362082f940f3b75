package wxsend.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * An app's secret: from configuration if given there, else the SSM SecureString
 * {APP_SECRET_PARAMETER_PREFIX}/{appid}/secret, read once per instance. It is asked for only
 * when a token must be fetched, so a cold start that finds a stored token reads no secret.
 * A secret rotated in SSM reaches a warm instance through {@link #reread}, when WeChat refuses the cached one.
 */
@ApplicationScoped
public class AppSecrets {

    private final Apps apps;
    private final WxsendConfig config;
    private final Instance<SecretStore> store;
    private final Clock clock;
    private static final Logger LOG = Logger.getLogger(AppSecrets.class);

    private final Map<String, String> cache = new ConcurrentHashMap<>();
    /** When each app's secret was last read again after a refusal. */
    private final Map<String, Instant> rereads = new ConcurrentHashMap<>();

    AppSecrets(Apps apps, WxsendConfig config, Instance<SecretStore> store, Clock clock) {
        this.apps = apps;
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    /** Blocks on SSM the first time; call it off the event loop. */
    public String secretOf(String appid) {
        String inline = apps.inlineSecret(appid).orElse(null);
        if (inline != null) {
            return inline;
        }
        String prefix = config.secretParameterPrefix()
                .orElseThrow(() -> new SecretUnavailableException(false, "app " + appid + " has no secret configured"));
        String name = parameterName(prefix, appid);
        return cache.computeIfAbsent(appid, id -> read(name));
    }

    /**
     * After WeChat refused {@code used} as {@code appid}'s secret: the secret SSM holds now, if it differs, else
     * empty. SSM is read again at most once per APP_SECRET_REREAD_INTERVAL per app, so a secret that is simply
     * wrong costs one GetParameter an interval, not one per fetch; a secret from configuration is never re-read.
     * Blocks on SSM; call it off the event loop.
     *
     * @throws SecretUnavailableException when SSM cannot be read
     */
    public Optional<String> reread(String appid, String used) {
        Optional<String> prefix = config.secretParameterPrefix();
        if (apps.inlineSecret(appid).isPresent() || prefix.isEmpty()) {
            return Optional.empty();
        }
        String cached = cache.get(appid);
        if (cached != null && !cached.equals(used)) {
            // Another fetch re-read it already (or this one began before that read ended): no SSM call needed.
            return Optional.of(cached);
        }
        if (!claimReread(appid)) {
            return Optional.empty();
        }
        String name = parameterName(prefix.get(), appid);
        String fresh;
        try {
            fresh = read(name);
        } catch (RuntimeException e) {
            // SSM did not answer: the next refusal may try again, or a rotation stays unseen for an interval.
            rereads.remove(appid);
            throw e;
        }
        cache.put(appid, fresh);
        boolean changed = !fresh.equals(used);
        LOG.infof("app %s: WeChat refused its secret, so %s was read again: %s", appid, name,
                changed ? "it has changed" : "unchanged, so the fetch is not tried again");
        return changed ? Optional.of(fresh) : Optional.empty();
    }

    private boolean claimReread(String appid) {
        Instant now = clock.instant();
        Duration interval = config.secretRereadInterval();
        boolean[] claimed = { false };
        rereads.compute(appid, (id, last) -> {
            claimed[0] = last == null || !now.isBefore(last.plus(interval));
            return claimed[0] ? now : last;
        });
        return claimed[0];
    }

    private String read(String name) {
        try {
            return store.get().read(name);
        } catch (SecretUnavailableException e) {
            logCause(e);
            throw e;
        } catch (RuntimeException e) {
            // Building the SSM client can fail too (no region, no credentials): the result says so by
            // type; the log keeps the cause, whose message names what is missing.
            SecretUnavailableException unavailable = new SecretUnavailableException(true, "reading the secret parameter "
                    + name + " failed: " + e.getClass().getSimpleName(), e);
            logCause(unavailable);
            throw unavailable;
        }
    }

    /** SSM's and the SDK's messages name the parameter, the region or the credentials, never the value. */
    private static void logCause(SecretUnavailableException e) {
        if (e.getCause() != null) {
            LOG.warnf(e.getCause(), "%s", e.getMessage());
        }
    }

    static String parameterName(String prefix, String appid) {
        return prefix + "/" + appid + "/secret";
    }
}
