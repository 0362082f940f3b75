package wxsend.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The configured apps, by appid, and which one a request without `app` means. A secret is
 * either given in configuration (local runs) or left to {@link AppSecrets} to read from SSM.
 */
@ApplicationScoped
public class Apps {

    private final Map<String, Optional<String>> inlineSecrets = new LinkedHashMap<>();
    private final Optional<String> defaultAppid;

    Apps(WxsendConfig config) {
        config.appids().ifPresent(appids -> appids.forEach(appid -> inlineSecrets.put(appid, Optional.empty())));
        config.apps().forEach((appid, app) -> inlineSecrets.put(appid, Optional.of(app.secret())));
        config.appid().ifPresent(appid -> inlineSecrets.put(appid, config.secret()));
        defaultAppid = config.appid().isPresent() ? config.appid()
                : inlineSecrets.size() == 1 ? Optional.of(inlineSecrets.keySet().iterator().next()) : Optional.empty();
    }

    public boolean isConfigured(String appid) {
        return inlineSecrets.containsKey(appid);
    }

    public Optional<String> defaultAppid() {
        return defaultAppid;
    }

    /** The app a request names, or the default one; the message says what to fix. */
    public String pick(Optional<String> named) {
        if (named.isPresent()) {
            return named.filter(this::isConfigured)
                    .orElseThrow(() -> new IllegalArgumentException("app " + named.get() + " is not configured"));
        }
        return defaultAppid.orElseThrow(() -> new IllegalArgumentException(isEmpty()
                ? "no WeChat app is configured (set WECHAT_APPID and WECHAT_SECRET)"
                : "required when several apps are configured and WECHAT_APPID is not set"));
    }

    public boolean isEmpty() {
        return inlineSecrets.isEmpty();
    }

    Optional<String> inlineSecret(String appid) {
        return inlineSecrets.getOrDefault(appid, Optional.empty());
    }
}
