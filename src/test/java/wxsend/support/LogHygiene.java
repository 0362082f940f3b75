package wxsend.support;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Pattern;

/** What must never appear in what the application logs: secrets, access_tokens, full openids. */
public final class LogHygiene {

    /** Every token the stand-ins hand out in these suites starts so. */
    private static final Pattern TOKEN = Pattern.compile("ACCESS-");
    private static final Pattern OPENID = Pattern.compile(Pattern.quote(Messages.OPENID) + "|" + Pattern.quote(Messages.OA_OPENID) + "|oRcpt\\d{23}");

    private LogHygiene() {
    }

    public static void assertClean(String logged) {
        for (int n = 0; n <= TestApps.COUNT; n++) {
            String secret = TestApps.secret(n == 0 ? TestApps.DEFAULT_APPID : TestApps.appid(n));
            assertFalse(logged.contains(secret), "an app secret was logged");
        }
        assertFalse(TOKEN.matcher(logged).find(), "an access_token was logged");
        assertFalse(OPENID.matcher(logged).find(), "a full openid was logged");
    }
}
