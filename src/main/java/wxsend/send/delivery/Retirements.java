package wxsend.send.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import wxsend.config.WxsendConfig;

/**
 * Which apps' uniform_send WeChat has answered as retired, per instance, for a while: their
 * messages then go straight to template/send instead of spending a call on a known refusal.
 */
@ApplicationScoped
class Retirements {

    private final Map<String, Long> retiredUntil = new ConcurrentHashMap<>();
    private final long rememberMillis;

    Retirements(WxsendConfig config) {
        this.rememberMillis = config.fallback().remember().toMillis();
    }

    boolean retired(String app) {
        Long until = retiredUntil.get(app);
        return until != null && until > System.currentTimeMillis();
    }

    void retire(String app) {
        retiredUntil.put(app, System.currentTimeMillis() + rememberMillis);
    }
}
