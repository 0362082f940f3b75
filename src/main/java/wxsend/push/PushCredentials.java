package wxsend.push;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import wxsend.config.Apps;
import wxsend.config.SecretStore;
import wxsend.config.SecretUnavailableException;
import wxsend.config.WxsendConfig;

/**
 * Each app's push Token and EncodingAESKey, as its secret is kept: SecureStrings beside it,
 * {APP_SECRET_PARAMETER_PREFIX}/{appid}/push-token and …/push-aes-key, read once per instance and
 * only when a push for the app arrives. The default app may have them from WECHAT_PUSH_TOKEN and
 * WECHAT_PUSH_AES_KEY instead. Blocks on SSM: call it off the event loop.
 */
@ApplicationScoped
class PushCredentials {

    private static final Logger LOG = Logger.getLogger(PushCredentials.class);

    private final PushConfig push;
    private final WxsendConfig config;
    private final Apps apps;
    private final Instance<SecretStore> store;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, PushCipher> ciphers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> encrypted = new ConcurrentHashMap<>();

    PushCredentials(PushConfig push, WxsendConfig config, Apps apps, Instance<SecretStore> store) {
        this.push = push;
        this.config = config;
        this.apps = apps;
        this.store = store;
    }

    /** A malformed WECHAT_PUSH_AES_KEY stops the start, named, as ConfigCheck does for the rest. */
    void onStart(@Observes StartupEvent event) {
        List<String> problems = problems(push);
        if (!problems.isEmpty()) {
            String line = "wxsend configuration: " + String.join("; ", problems);
            LOG.error(line);
            throw new IllegalStateException(line);
        }
    }

    static List<String> problems(PushConfig push) {
        if (push.aesKey().isPresent() && push.token().isEmpty()) {
            return List.of("WECHAT_PUSH_AES_KEY needs WECHAT_PUSH_TOKEN: safe mode signs with the Token too");
        }
        try {
            push.aesKey().ifPresent(key -> PushCipher.of(key, "WECHAT_PUSH_AES_KEY"));
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
        return push.maxSkew().isNegative() || push.maxSkew().isZero() ? List.of("WECHAT_PUSH_MAX_SKEW must be positive")
                : List.of();
    }

    /** @throws PushRefused 404 for an app that is not configured or has no push Token, 503 when SSM cannot be read */
    String token(String appid) {
        if (!apps.isConfigured(appid)) {
            throw new PushRefused(404, "unknown_app", "appid", "no app is configured at this URL");
        }
        if (isDefault(appid) && push.token().isPresent()) {
            return push.token().get();
        }
        return tokens.computeIfAbsent(appid, id -> read(id, "push-token"));
    }

    /** @throws PushRefused 503 when the app has no usable EncodingAESKey: its pushes cannot be opened until it is fixed */
    PushCipher cipher(String appid) {
        return ciphers.computeIfAbsent(appid, id -> {
            if (isDefault(id) && push.aesKey().isPresent()) {
                return PushCipher.of(push.aesKey().get(), "WECHAT_PUSH_AES_KEY");
            }
            String name = parameter(id, "push-aes-key");
            try {
                return PushCipher.of(read(id, "push-aes-key"), "the parameter " + name);
            } catch (IllegalArgumentException e) {
                LOG.errorf("app %s cannot open safe-mode pushes: %s", id, e.getMessage());
                throw new PushRefused(503, "push_misconfigured", null,
                        "the app's EncodingAESKey is not a valid one; the log names the parameter");
            } catch (PushRefused e) {
                if (e.status() == 404) {
                    throw new PushRefused(503, "push_misconfigured", null, "the app has no EncodingAESKey for safe mode");
                }
                throw e;
            }
        });
    }

    /**
     * Whether the app has an EncodingAESKey, so that its pushes must come encrypted. Remembered per
     * instance either way (a key added later takes effect when the sandbox restarts, as a rotation does).
     *
     * @throws PushRefused 503 when SSM cannot be read now
     */
    boolean encrypted(String appid) {
        if (isDefault(appid) && push.aesKey().isPresent()) {
            return true;
        }
        return encrypted.computeIfAbsent(appid, id -> {
            try {
                read(id, "push-aes-key");
                return true;
            } catch (PushRefused e) {
                if (e.status() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    private boolean isDefault(String appid) {
        return config.appid().filter(appid::equals).isPresent();
    }

    private String read(String appid, String what) {
        String name = parameter(appid, what);
        if (name == null) {
            throw new PushRefused(404, "push_not_configured", "appid", "pushes are not configured for this app");
        }
        try {
            String value = store.get().read(name);
            if (value == null || value.isBlank()) {
                throw new SecretUnavailableException(false, "the parameter " + name + " is empty");
            }
            return value.strip();
        } catch (SecretUnavailableException e) {
            // The parameter's name goes to the log only: the answer goes to whoever called a public URL.
            LOG.warnf("a push for app %s: %s", appid, e.getMessage());
            throw e.isTransient() ? new PushRefused(503, "unavailable", null, "the app's push credentials cannot be read now")
                    : new PushRefused(404, "push_not_configured", "appid", "pushes are not configured for this app");
        } catch (RuntimeException e) {
            LOG.warnf("a push for app %s: reading %s failed: %s", appid, name, e.getClass().getSimpleName());
            throw new PushRefused(503, "unavailable", null, "the app's push credentials cannot be read now");
        }
    }

    private String parameter(String appid, String what) {
        return config.secretParameterPrefix().map(prefix -> prefix + "/" + appid + "/" + what).orElse(null);
    }
}
