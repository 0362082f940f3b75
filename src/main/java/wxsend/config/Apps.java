package wxsend.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** The configured apps, by appid, and which one a request without `app` means. */
@ApplicationScoped
public class Apps {

    private final Map<String, AppCredentials> byAppid = new LinkedHashMap<>();
    private final Optional<String> defaultAppid;

    Apps(WxsendConfig config) {
        config.apps().forEach((appid, app) -> byAppid.put(appid, new AppCredentials(appid, app.secret())));
        config.appid().ifPresent(appid -> config.secret()
                .ifPresent(secret -> byAppid.put(appid, new AppCredentials(appid, secret))));
        defaultAppid = config.appid().isPresent() ? config.appid()
                : byAppid.size() == 1 ? Optional.of(byAppid.keySet().iterator().next()) : Optional.empty();
    }

    public Optional<AppCredentials> find(String appid) {
        return Optional.ofNullable(byAppid.get(appid));
    }

    public Optional<AppCredentials> defaultApp() {
        return defaultAppid.flatMap(this::find);
    }

    public boolean isEmpty() {
        return byAppid.isEmpty();
    }
}
