package wxsend.support;

import java.util.HashMap;
import java.util.Map;

/**
 * The apps the test configuration holds. Each test uses apps of its own, so the token one test
 * leaves in memory or in the table never meets another test.
 */
public final class TestApps {

    public static final String DEFAULT_APPID = "wx00000000000000d0";
    public static final int COUNT = 400;
    /** Apps from here on are kept for tests that name them: the cold-start seeds, the time budget. */
    public static final int RESERVED_FROM = COUNT - 9;
    private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger(1);

    private TestApps() {
    }

    /** An app no other test in this JVM has used. */
    public static String next() {
        int n = NEXT.getAndIncrement();
        if (n >= RESERVED_FROM) {
            throw new IllegalStateException("out of test apps: raise TestApps.COUNT");
        }
        return appid(n);
    }

    public static String appid(int n) {
        return String.format("wx%016d", n);
    }

    public static String secret(String appid) {
        return "s3cret-" + appid.substring(2) + "-do-not-log";
    }

    /** The default app's push Token and EncodingAESKey (WECHAT_PUSH_TOKEN, WECHAT_PUSH_AES_KEY). */
    public static final String PUSH_TOKEN = "pushTokenDefaultDoNotLog";
    public static final String PUSH_AES_KEY = "DefaultAppPushAesKeyDoNotLog0123456789abcde";

    /** A mini program configured with its fallback off (FALLBACK_OFF_FOR_APPS), so that no test profile restarts for it. */
    public static final String FALLBACK_OFF_APP = appid(COUNT - 4);
    /** An official account whose calls take their own base URL (WECHAT_API_URLS): StandIns.egress(). */
    public static final String EGRESS_APP = appid(COUNT - 5);

    static Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put("wxsend.appid", DEFAULT_APPID);
        config.put("wxsend.secret", secret(DEFAULT_APPID));
        config.put("wxsend.fallback.off-for", FALLBACK_OFF_APP);
        // Dev mode's placeholder app, which src/examples names, so the examples run as written.
        config.put("wxsend.apps.wxdev0000000000001.secret", secret("wxdev0000000000001"));
        for (int n = 1; n <= COUNT; n++) {
            config.put("wxsend.apps." + appid(n) + ".secret", secret(appid(n)));
        }
        return config;
    }
}
