package wxsend.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The standin profile, as the README starts it ({@code ./mvnw quarkus:dev -Dquarkus.profile=dev,standin}):
 * application.properties resolved under "dev,standin", with no environment, switches the stand-in on
 * (over %dev's WECHAT_STAND_IN default), gives the placeholder app a secret, points WeChat's base URL
 * at dev mode's own port, and keeps dev mode's memory stores. WeChatStandInTest shows what the
 * switch, once on, builds in.
 */
@Tag("unit")
class StandInProfileTest {

    private static SmallRyeConfig config(String profiles) throws Exception {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(Path.of("src/main/resources/application.properties").toUri().toURL(), 250))
                .withDefaultValue("smallrye.config.profile", profiles)
                .build();
    }

    private static String value(SmallRyeConfig config, String name) {
        return config.getOptionalValue(name, String.class).orElse("");
    }

    @Test
    void devAndStandinSendToTheStandIn() throws Exception {
        SmallRyeConfig config = config("dev,standin");
        assertEquals("true", value(config, "wxsend.dev.wechat-stand-in"));
        assertEquals("dev-stand-in", value(config, "wxsend.secret"));
        assertEquals("http://localhost:8080/dev/wechat", value(config, "wxsend.wechat.api-url"));
        assertEquals("wxdev0000000000001", value(config, "wxsend.appid"));
        assertEquals("memory", value(config, "wxsend.token.store"));
        assertEquals("memory", value(config, "wxsend.idempotency.store"));
    }

    @Test
    void devAloneLeavesTheStandInOut() throws Exception {
        SmallRyeConfig config = config("dev");
        assertEquals("false", value(config, "wxsend.dev.wechat-stand-in"));
        assertEquals("", value(config, "wxsend.secret"));
        assertEquals("https://api.weixin.qq.com", value(config, "wxsend.wechat.api-url"));
    }
}
