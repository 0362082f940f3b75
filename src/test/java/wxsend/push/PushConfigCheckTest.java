package wxsend.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The push settings that stop the start, each named by its environment variable and never quoting a key. */
@Tag("unit")
class PushConfigCheckTest {

    private static List<String> problems(Map<String, String> settings) {
        return PushCredentials.problems(new SmallRyeConfigBuilder().withMapping(PushConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "test", 100)).build().getConfigMapping(PushConfig.class));
    }

    @Test
    void noPushSettingsAndAGoodPairAreFine() {
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(List.of(), problems(Map.of("wxsend.push.token", "t0ken", "wxsend.push.aes-key", PushCryptoTest.KEY)));
    }

    @Test
    void aKeyOfTheWrongLengthIsNamedByItsVariable() {
        List<String> problems = problems(Map.of("wxsend.push.token", "t0ken", "wxsend.push.aes-key", "tooShortAKey"));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("WECHAT_PUSH_AES_KEY must be the console's EncodingAESKey"), problems::toString);
        assertFalse(problems.get(0).contains("tooShortAKey"), "the key is never quoted");
    }

    @Test
    void aKeyWithoutATokenAndANonPositiveSkewAreRefused() {
        assertEquals(List.of("WECHAT_PUSH_AES_KEY needs WECHAT_PUSH_TOKEN: safe mode signs with the Token too"),
                problems(Map.of("wxsend.push.aes-key", PushCryptoTest.KEY)));
        assertEquals(List.of("WECHAT_PUSH_MAX_SKEW must be positive"), problems(Map.of("wxsend.push.max-skew", "0s")));
    }
}
