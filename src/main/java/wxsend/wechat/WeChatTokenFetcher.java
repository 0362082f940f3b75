package wxsend.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import wxsend.config.AppSecrets;
import wxsend.config.SecretUnavailableException;
import wxsend.config.WxsendConfig;
import wxsend.metrics.Metrics;
import wxsend.send.delivery.ErrorKind;
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
    /** What the token endpoint answers to a wrong secret: 40125 (invalid appsecret), or 40001 (cgi-bin/token). */
    private static final Set<Integer> SECRET_REFUSED = Set.of(40001, 40125);

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
        String secret = secret(appid);
        Fetched fetched = call(appid, secret, force);
        if (!fetched.ok() && fetched.reply().errcode() != null && SECRET_REFUSED.contains(fetched.reply().errcode())) {
            // The secret may have been rotated in SSM since this instance cached it: read it again (rationed by
            // AppSecrets) and try once more with the new one. A secret from configuration is never re-read.
            Optional<String> rotated;
            try {
                rotated = secrets.reread(appid, secret);
            } catch (SecretUnavailableException e) {
                // Logged by AppSecrets; WeChat's refusal says more about the fetch than SSM's failure does.
                rotated = Optional.empty();
            }
            if (rotated.isPresent()) {
                fetched = call(appid, rotated.get(), force);
            }
        }
        if (fetched.ok()) {
            return new AccessToken(fetched.token().asText(), fetched.asked().plusSeconds(fetched.expiresIn().asLong()));
        }
        WeChatReply reply = fetched.reply();
        boolean transientFailure = reply.kind() == ErrorKind.TRANSIENT || reply.kind() == ErrorKind.AMBIGUOUS
                || reply.kind() == ErrorKind.OK;
        Integer errcode = reply.errcode() == null || reply.errcode() == 0 ? null : reply.errcode();
        throw new TokenUnavailableException(transientFailure, errcode, reply.errmsg(),
                reply.kind() == ErrorKind.OK ? "no access_token in the reply" : reply.describe());
    }

    private String secret(String appid) {
        try {
            return secrets.secretOf(appid);
        } catch (SecretUnavailableException e) {
            throw new TokenUnavailableException(e.isTransient(), null, null, e.getMessage());
        }
    }

    /** One call to the token endpoint, and when it was asked. */
    private record Fetched(WeChatReply reply, Instant asked, JsonNode token, JsonNode expiresIn) {

        boolean ok() {
            return reply.kind() == ErrorKind.OK && token != null && token.isTextual() && expiresIn != null
                    && expiresIn.canConvertToLong();
        }
    }

    private Fetched call(String appid, String secret, boolean force) {
        // Count validity from before the call, so the stored expiry is never later than WeChat's.
        Instant asked = clock.instant();
        Uni<WeChatReply> call = stable ? client.stableToken(appid, secret, force) : client.token(appid, secret);
        WeChatReply reply = call.ifNoItem().after(wait).recoverWithItem(() -> WeChatReply.transport("timed out", true))
                .await().indefinitely();
        JsonNode token = reply.body() == null ? null : reply.body().get("access_token");
        JsonNode expiresIn = reply.body() == null ? null : reply.body().get("expires_in");
        Fetched fetched = new Fetched(reply, asked, token, expiresIn);
        metrics.tokenFetch(appid, !stable ? "legacy" : force ? "force" : "stable", fetched.ok());
        return fetched;
    }
}
