package wxsend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Each missing or malformed setting is named by its environment variable, all in one line. */
@Tag("unit")
class ConfigCheckTest {

    /** As Quarkus builds it, with its converter for durations such as 5s. */
    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder().withMapping(WxsendConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter());
    }

    private static List<String> problems(Map<String, String> settings) {
        return problems(settings, io.quarkus.runtime.LaunchMode.NORMAL);
    }

    private static List<String> problems(Map<String, String> settings, io.quarkus.runtime.LaunchMode mode) {
        Map<String, String> all = new HashMap<>(Map.of("wxsend.token.table", "tokens", "wxsend.idempotency.table", "keys"));
        all.putAll(settings);
        SmallRyeConfig config = builder()
                .withSources(new PropertiesConfigSource(all, "test", 100)).build();
        return ConfigCheck.problems(config.getConfigMapping(WxsendConfig.class), mode);
    }

    /**
     * `./mvnw quarkus:dev`, the README's first command, configures a placeholder app with no secret:
     * dev mode starts (on 7edf04b it failed with this very line), and a deployment without a secret does not.
     */
    @Test
    void anAppWithoutASecretIsRefusedEverywhereButDevMode() {
        Map<String, String> placeholder = Map.of("wxsend.appid", "wxdev0000000000001");
        assertEquals(List.of("WECHAT_SECRET or APP_SECRET_PARAMETER_PREFIX is required when WECHAT_APPID is set"),
                problems(placeholder));
        assertEquals(List.of(), problems(placeholder, io.quarkus.runtime.LaunchMode.DEVELOPMENT));
    }

    @Test
    void theDefaultsWithATableAreFine() {
        assertEquals(List.of(), problems(Map.of()));
    }

    @Test
    void eachAppsRouteIsAnAppidAndAnHttpUrlAndABadOneIsNamedByPositionNotByItsText() {
        assertEquals(List.of(), problems(Map.of("wxsend.wechat.api-urls",
                "wx00000000000000a1=https://egress.example.com,wx00000000000000a2=http://localhost:8080/wechat")));
        List<String> bad = problems(Map.of("wxsend.wechat.api-urls",
                "wx00000000000000a1=https://egress.example.com,wx00000000000000a2,oops=https://user:pass@x.example.com"));
        assertEquals(2, bad.size(), bad::toString);
        assertTrue(bad.get(0).startsWith("WECHAT_API_URLS entry 2 must be appid="), bad::toString);
        assertTrue(bad.get(1).startsWith("WECHAT_API_URLS entry 3 "), bad::toString);
        assertTrue(bad.stream().noneMatch(p -> p.contains("pass")), "a URL's credentials stay out of the message");
    }

    /** The token fetch carries the appsecret, so plain http may only stay on this machine (WireMock, dev mode). */
    @Test
    void plainHttpToAnotherMachineIsRefusedByPositionWithoutItsText() {
        List<String> bad = problems(Map.of("wxsend.wechat.api-urls", "wx00000000000000a1=https://egress.example.com,"
                + "wx00000000000000a2=http://10.0.0.5:8080/wechat,wx00000000000000a3=http://user:pass@egress.example.com,"
                + "wx00000000000000a4=http://127.0.0.1.example.com,wx00000000000000a5=http://[::2]:80,"
                + "wx00000000000000a6=http://localhost.example.com"));
        assertEquals(5, bad.size(), bad::toString);
        for (int i = 0; i < bad.size(); i++) {
            assertTrue(bad.get(i).startsWith("WECHAT_API_URLS entry " + (i + 2) + " must use https"), bad::toString);
        }
        assertTrue(bad.stream().noneMatch(p -> p.contains("pass") || p.contains("10.0.0.5") || p.contains("example")),
                "neither a URL nor its credentials reach the message");
        assertEquals(List.of("WECHAT_API_URL must use https: the token fetch carries the appsecret, so plain http is allowed"
                + " only to localhost, 127.0.0.0/8 or ::1"), problems(Map.of("wxsend.wechat.api-url", "http://user:pass@api.weixin.qq.com")));
    }

    @Test
    void plainHttpToLoopbackIsAllowed() {
        for (String url : List.of("http://localhost:8080", "http://LOCALHOST/dev/wechat", "http://127.0.0.1:1", "http://127.255.3.9",
                "http://[::1]:8080/", "http://[0:0:0:0:0:0:0:1]", "https://10.0.0.5:8443")) {
            assertEquals(List.of(), problems(Map.of("wxsend.wechat.api-url", url, "wxsend.wechat.api-urls",
                    "wx00000000000000a1=" + url)), url);
        }
        for (String url : List.of("http://128.0.0.1", "http://10.0.0.5:3128", "http://0.0.0.0", "http://[::]")) {
            assertEquals(List.of("WECHAT_API_URLS entry 1 must use https: the token fetch carries the appsecret, so plain http"
                    + " is allowed only to localhost, 127.0.0.0/8 or ::1"),
                    problems(Map.of("wxsend.wechat.api-urls", "wx00000000000000a1=" + url)), url);
        }
    }

    @Test
    void eachAppTakesItsOwnRouteAndTheRestWeChatsOwn() {
        SmallRyeConfig config = builder().withSources(new PropertiesConfigSource(Map.of("wxsend.token.table", "t",
                "wxsend.idempotency.table", "k", "wxsend.wechat.api-urls", "wx00000000000000a1=https://egress.example.com/wx"),
                "test", 100)).build();
        ApiRoutes routes = ApiRoutes.of(config.getConfigMapping(WxsendConfig.class).wechat());
        assertEquals("https://egress.example.com/wx", routes.baseFor("wx00000000000000a1").toString());
        assertEquals("https://api.weixin.qq.com", routes.baseFor("wx00000000000000a2").toString());
        assertEquals("https://api.weixin.qq.com", routes.baseFor(null).toString());
        assertEquals(2, routes.all().size());
    }

    @Test
    void dynamodbNeedsATable() {
        Map<String, String> settings = new HashMap<>();
        SmallRyeConfig config = builder()
                .withSources(new PropertiesConfigSource(settings, "test", 100)).build();
        assertEquals(List.of("TOKEN_TABLE is required when TOKEN_STORE=dynamodb",
                "IDEMPOTENCY_TABLE is required when IDEMPOTENCY_STORE=dynamodb"),
                ConfigCheck.problems(config.getConfigMapping(WxsendConfig.class)));
    }

    @Test
    void theMemoryStoreNeedsNoTable() {
        SmallRyeConfig config = builder()
                .withSources(new PropertiesConfigSource(Map.of("wxsend.token.store", "memory",
                        "wxsend.idempotency.store", "memory"), "test", 100)).build();
        assertEquals(List.of(), ConfigCheck.problems(config.getConfigMapping(WxsendConfig.class)));
    }

    @Test
    void anUnknownStoreIsNamed() {
        assertEquals(List.of("TOKEN_STORE must be dynamodb, ssm or memory, not 'redis'"),
                problems(Map.of("wxsend.token.store", "redis")));
    }

    @Test
    void aMalformedAppidOrAMissingSecretIsNamed() {
        assertEquals(List.of("WECHAT_APPID must be 'wx' followed by 16 letters or digits",
                "WECHAT_SECRET or APP_SECRET_PARAMETER_PREFIX is required when WECHAT_APPID is set"),
                problems(Map.of("wxsend.appid", "wx12")));
        assertEquals(List.of("WECHAT_APPID is required when WECHAT_SECRET is set"),
                problems(Map.of("wxsend.secret", "s")));
    }

    @Test
    void secretsFromSsmNeedAWellFormedPrefix() {
        assertEquals(List.of(), problems(Map.of("wxsend.appid", "wx0123456789abcdef",
                "wxsend.secret-parameter-prefix", "/wxsend/apps", "wxsend.appids", "wx0123456789abcde1,wx0123456789abcde2")));
        assertEquals(List.of("APP_SECRET_PARAMETER_PREFIX must start with '/' and not end with one, such as /wxsend/apps"),
                problems(Map.of("wxsend.secret-parameter-prefix", "wxsend/apps/")));
        assertEquals(List.of("WECHAT_APPIDS holds 'nope', which is not an appid",
                "APP_SECRET_PARAMETER_PREFIX is required when WECHAT_APPIDS is set"), problems(Map.of("wxsend.appids", "nope")));
    }

    @Test
    void aBadUrlAndBadNumbersAreNamed() {
        List<String> problems = problems(Map.of("wxsend.wechat.api-url", "api.weixin.qq.com",
                "wxsend.send.max-attempts", "0", "wxsend.wechat.read-timeout", "0s"));
        assertTrue(problems.contains("WECHAT_API_URL must be an http(s) URL"), problems::toString);
        assertTrue(problems.contains("SEND_MAX_ATTEMPTS must be between 1 and 10"), problems::toString);
        assertTrue(problems.contains("WECHAT_READ_TIMEOUT must be a positive duration"), problems::toString);
        assertEquals(List.of("APP_SECRET_REREAD_INTERVAL must be a positive duration"),
                problems(Map.of("wxsend.secret-reread-interval", "0s")));
    }

    @Test
    void reliabilityAndFallbackSettingsAreNamed() {
        List<String> problems = problems(Map.of("wxsend.idempotency.in-progress-expiry", "10s", "wxsend.batch.concurrency", "0",
                "wxsend.batch.max-recipients", "20000", "wxsend.fallback.remember", "0s"));
        assertEquals(List.of("IDEMPOTENCY_IN_PROGRESS_EXPIRY must be longer than SEND_TIME_BUDGET",
                "BATCH_MAX_RECIPIENTS must be between 1 and 10000", "BATCH_CONCURRENCY must be between 1 and 200",
                "UNIFORM_RETIREMENT_MEMORY must be a positive duration"), problems);
    }

    @Test
    void appsWithoutTheFallbackMustBeAppids() {
        assertEquals(List.of("FALLBACK_OFF_FOR_APPS holds 'nope', which is not an appid"),
                problems(Map.of("wxsend.fallback.off-for", "wx0123456789abcde1,nope")));
    }

    @Test
    void theSecretNeverAppearsInAProblem() {
        String secret = "my-very-secret-value";
        List<String> problems = problems(Map.of("wxsend.appid", "bad", "wxsend.secret", secret));
        assertTrue(problems.stream().noneMatch(p -> p.contains(secret)));
    }
}
