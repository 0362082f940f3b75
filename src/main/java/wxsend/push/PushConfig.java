package wxsend.push;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * WeChat's pushes (POST /wechat/push/{appid}): a mapping of its own, beside {@code WxsendConfig},
 * so that the push endpoint's settings live with its code. application.properties maps the
 * environment variables (WECHAT_PUSH_TOKEN, WECHAT_PUSH_AES_KEY, EVENT_BUS_NAME, …) onto it.
 */
@ConfigMapping(prefix = "wxsend.push")
interface PushConfig {

    /** The default app's Token from the console (WECHAT_PUSH_TOKEN); other apps' are SSM parameters. */
    Optional<String> token();

    /** The default app's EncodingAESKey, 43 characters (WECHAT_PUSH_AES_KEY). */
    Optional<String> aesKey();

    /** The bus each push is put on (EVENT_BUS_NAME); "default" is the account's default bus. */
    @WithDefault("default")
    String eventBus();

    /**
     * Where EventBridge is reached: for tests and local stand-ins only; deployed, the SDK finds
     * the regional endpoint (and honours AWS_ENDPOINT_URL_EVENTBRIDGE).
     */
    Optional<String> eventsEndpoint();

    /** How far a push's timestamp may be from now, either way, before it is refused as a replay (WECHAT_PUSH_MAX_SKEW). */
    @WithDefault("5m")
    Duration maxSkew();

    /**
     * Larger push bodies get 413 before they are parsed (WECHAT_PUSH_MAX_BODY_BYTES): WeChat's
     * messages and events are a few kilobytes; nothing else needs parsing on a public route.
     */
    @WithDefault("65536")
    int maxBodyBytes();
}
