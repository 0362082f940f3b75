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

    public boolean isEmpty() {
        return inlineSecrets.isEmpty();
    }

    Optional<String> inlineSecret(String appid) {
        return inlineSecrets.getOrDefault(appid, Optional.empty());
    }
}
