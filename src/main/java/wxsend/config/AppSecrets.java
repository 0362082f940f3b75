package wxsend.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * An app's secret: from configuration if given there, else the SSM SecureString
 * {APP_SECRET_PARAMETER_PREFIX}/{appid}/secret, read once per instance. It is asked for only
 * when a token must be fetched, so a cold start that finds a stored token reads no secret.
 */
@ApplicationScoped
public class AppSecrets {

    private final Apps apps;
    private final WxsendConfig config;
    private final Instance<SecretStore> store;
    private static final Logger LOG = Logger.getLogger(AppSecrets.class);

    private final Map<String, String> cache = new ConcurrentHashMap<>();

    AppSecrets(Apps apps, WxsendConfig config, Instance<SecretStore> store) {
        this.apps = apps;
        this.config = config;
        this.store = store;
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
        try {
            return cache.computeIfAbsent(appid, id -> store.get().read(name));
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
