package wxsend.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.config.AppSecrets;
import wxsend.config.SecretUnavailableException;
import wxsend.config.WxsendConfig;
import wxsend.token.AccessToken;
import wxsend.token.TokenFetcher;
import wxsend.token.TokenUnavailableException;

/**
 * {@code GET /cgi-bin/token}. Each fetch invalidates the app's previous token after five minutes
 * and counts against 2,000 a day, which is why the provider fetches only when the store has nothing usable.
 */
@ApplicationScoped
class LegacyTokenFetcher implements TokenFetcher {

    private final WeChatClient client;
    private final AppSecrets secrets;
    private final Duration wait;
    private final Clock clock = Clock.systemUTC();

    LegacyTokenFetcher(WeChatClient client, AppSecrets secrets, WxsendConfig config) {
        this.client = client;
        this.secrets = secrets;
        this.wait = config.wechat().connectTimeout().plus(config.wechat().readTimeout()).plusSeconds(1);
    }

    @Override
    public AccessToken fetch(String appid) {
        String secret;
        try {
            secret = secrets.secretOf(appid);
        } catch (SecretUnavailableException e) {
            throw new TokenUnavailableException(e.isTransient(), null, null, e.getMessage());
        }
        // Count validity from before the call, so the stored expiry is never later than WeChat's.
        Instant asked = clock.instant();
        WeChatReply reply = client.token(appid, secret).ifNoItem().after(wait)
                .recoverWithItem(() -> WeChatReply.transport("timed out")).await().indefinitely();
        JsonNode token = reply.body() == null ? null : reply.body().get("access_token");
        JsonNode expiresIn = reply.body() == null ? null : reply.body().get("expires_in");
        if (reply.kind() == ErrorKind.OK && token != null && token.isTextual() && expiresIn != null && expiresIn.canConvertToLong()) {
            return new AccessToken(token.asText(), asked.plusSeconds(expiresIn.asLong()));
        }
        boolean transientFailure = reply.kind() == ErrorKind.TRANSIENT || reply.kind() == ErrorKind.OK;
        return failWith(reply, transientFailure);
    }

    private static AccessToken failWith(WeChatReply reply, boolean transientFailure) {
        throw new TokenUnavailableException(transientFailure, reply.errcode() == null || reply.errcode() == 0 ? null : reply.errcode(),
                reply.errmsg(), reply.kind() == ErrorKind.OK ? "no access_token in the reply" : reply.describe());
    }
}
