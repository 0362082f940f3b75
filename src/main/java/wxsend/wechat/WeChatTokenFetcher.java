package wxsend.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import wxsend.config.AppSecrets;
import wxsend.config.SecretUnavailableException;
import wxsend.config.WxsendConfig;
import wxsend.metrics.Metrics;
import wxsend.send.ErrorKind;
import wxsend.token.AccessToken;
import wxsend.token.TokenFetcher;
import wxsend.token.TokenUnavailableException;

/**
 * Fetches tokens from the endpoint TOKEN_ENDPOINT names.
 * <ul>
 * <li>{@code stable} (default): {@code POST /cgi-bin/stable_token}. In normal mode it returns the
 * token WeChat already holds while that is valid and invalidates nobody's; force_refresh issues
 * a new one (20 a day, 30 s apart).</li>
 * <li>{@code legacy}: {@code GET /cgi-bin/token}. Every fetch invalidates the previous token
 * five minutes later and counts against 2,000 a day.</li>
 * </ul>
 */
@ApplicationScoped
class WeChatTokenFetcher implements TokenFetcher {

    private final WeChatClient client;
    private final AppSecrets secrets;
    private final boolean stable;
    private final Duration wait;
    private final Clock clock = Clock.systemUTC();

    private final Metrics metrics;

    WeChatTokenFetcher(WeChatClient client, AppSecrets secrets, WxsendConfig config, Metrics metrics) {
        this.client = client;
        this.metrics = metrics;
        this.secrets = secrets;
        this.stable = !"legacy".equals(config.token().endpoint());
        this.wait = config.wechat().connectTimeout().plus(config.wechat().readTimeout()).plusSeconds(1);
    }

    @Override
    public boolean routineFetchIsHarmless() {
        return stable;
    }

    @Override
    public AccessToken fetch(String appid, boolean force) {
        String secret;
        try {
            secret = secrets.secretOf(appid);
        } catch (SecretUnavailableException e) {
            throw new TokenUnavailableException(e.isTransient(), null, null, e.getMessage());
        }
        // Count validity from before the call, so the stored expiry is never later than WeChat's.
        Instant asked = clock.instant();
        Uni<WeChatReply> call = stable ? client.stableToken(appid, secret, force) : client.token(appid, secret);
        WeChatReply reply = call.ifNoItem().after(wait).recoverWithItem(() -> WeChatReply.transport("timed out", true))
                .await().indefinitely();
        JsonNode token = reply.body() == null ? null : reply.body().get("access_token");
        JsonNode expiresIn = reply.body() == null ? null : reply.body().get("expires_in");
        boolean ok = reply.kind() == ErrorKind.OK && token != null && token.isTextual() && expiresIn != null
                && expiresIn.canConvertToLong();
        metrics.tokenFetch(appid, !stable ? "legacy" : force ? "force" : "stable", ok);
        if (ok) {
            return new AccessToken(token.asText(), asked.plusSeconds(expiresIn.asLong()));
        }
        boolean transientFailure = reply.kind() == ErrorKind.TRANSIENT || reply.kind() == ErrorKind.AMBIGUOUS
                || reply.kind() == ErrorKind.OK;
        Integer errcode = reply.errcode() == null || reply.errcode() == 0 ? null : reply.errcode();
        throw new TokenUnavailableException(transientFailure, errcode, reply.errmsg(),
                reply.kind() == ErrorKind.OK ? "no access_token in the reply" : reply.describe());
    }
}
