package wxsend.support;

import java.util.HashMap;
import java.util.Map;

/**
 * The apps the test configuration holds. Each test uses apps of its own, so the token one test
 * leaves in memory or in the table never meets another test.
 */
public final class TestApps {

    public static final String DEFAULT_APPID = "wx00000000000000d0";
    public static final int COUNT = 60;

    private TestApps() {
    }

    public static String appid(int n) {
        return String.format("wx%016d", n);
    }

    public static String secret(String appid) {
        return "s3cret-" + appid.substring(2) + "-do-not-log";
    }

    static Map<String, String> config() {
        Map<String, String> config = new HashMap<>();
        config.put("wxsend.appid", DEFAULT_APPID);
        config.put("wxsend.secret", secret(DEFAULT_APPID));
        for (int n = 1; n <= COUNT; n++) {
            config.put("wxsend.apps." + appid(n) + ".secret", secret(appid(n)));
        }
        return config;
    }
}
