package wxsend.wechat;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;
import io.smallrye.mutiny.Uni;
import wxsend.config.ApiRoutes;
import wxsend.config.WxsendConfig;
import wxsend.send.message.Api;
import wxsend.send.delivery.MessageGateway;
import wxsend.quota.QuotaGateway;
import wxsend.quota.QuotaReply;
import wxsend.send.delivery.Reply;

/**
 * Calls WeChat and turns every answer, including HTTP errors and transport failures, into a
 * {@link WeChatReply}. The returned Uni never fails, and nothing it reports carries a URL.
 */
@ApplicationScoped
public class WeChatClient implements MessageGateway, QuotaGateway {

    private final ApiRoutes routes;
    /** One client (and connection pool) per base URL: WeChat's own, and each app's proxy. */
    private final Map<URI, WeChatApi> clients = new HashMap<>();
    private final ObjectMapper json;

    WeChatClient(WxsendConfig config, ObjectMapper json) {
        this.json = json;
        this.routes = ApiRoutes.of(config.wechat());
        for (URI base : routes.all()) {
            clients.put(base, QuarkusRestClientBuilder.newBuilder()
                    .baseUri(base)
                    .connectTimeout(config.wechat().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(config.wechat().readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, config.wechat().maxConnections())
                    // Whole seconds: the client hands it to Vert.x's keep-alive timeout.
                    .property(QuarkusRestClientProperties.CONNECTION_TTL,
                            (int) Math.max(1, config.wechat().connectionTtl().toSeconds()))
                    .build(WeChatApi.class));
        }
    }

    private WeChatApi api(String appid) {
        return clients.get(routes.baseFor(appid));
    }

    /** uniform_send with the default route (WECHAT_API_URL). */
    public Uni<WeChatReply> uniformSend(String accessToken, String body) {
        return send(null, Api.UNIFORM, accessToken, body);
    }

    @Override
    public Uni<Reply> post(String appid, Api api, String accessToken, String body) {
        return send(appid, api, accessToken, body).onItem().transform(WeChatReply::toReply);
    }

    public Uni<WeChatReply> send(String appid, Api target, String accessToken, String body) {
        WeChatApi api = api(appid);
        return read(Uni.createFrom().deferred(() -> switch (target) {
            case UNIFORM -> api.uniformSend(accessToken, body);
            case TEMPLATE -> api.templateSend(accessToken, body);
            case SUBSCRIBE -> api.subscribeSend(accessToken, body);
            case BIZSEND -> api.bizsend(accessToken, body);
            case CUSTOM -> api.customSend(accessToken, body);
        }));
    }

    @Override
    public Uni<QuotaReply> quota(String appid, String accessToken, String cgiPath) {
        String body = json.createObjectNode().put("cgi_path", cgiPath).toString();
        return read(Uni.createFrom().deferred(() -> api(appid).quotaGet(accessToken, body))).onItem().transform(reply -> {
            JsonNode quota = reply.body() == null ? null : reply.body().get("quota");
            return new QuotaReply(reply.toReply(), number(quota, "daily_limit"), number(quota, "used"), number(quota, "remain"));
        });
    }

    private static Long number(JsonNode parent, String field) {
        JsonNode value = parent == null ? null : parent.get(field);
        return value == null || !value.canConvertToLong() ? null : value.asLong();
    }

    /** The secret travels in the body, not the URL. */
    Uni<WeChatReply> stableToken(String appid, String secret, boolean forceRefresh) {
        String body = json.createObjectNode().put("grant_type", "client_credential").put("appid", appid)
                .put("secret", secret).put("force_refresh", forceRefresh).toString();
        return read(Uni.createFrom().deferred(() -> api(appid).stableToken(body)));
    }

    Uni<WeChatReply> token(String appid, String secret) {
        return read(Uni.createFrom().deferred(() -> api(appid).token("client_credential", appid, secret)));
    }

    private Uni<WeChatReply> read(Uni<Response> call) {
        return call.onItem().transform(this::reply)
                .onFailure().recoverWithItem(this::failure);
    }

    private WeChatReply reply(Response response) {
        try (response) {
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            return new WeChatReply(response.getStatus(), parse(text));
        }
    }

    private WeChatReply failure(Throwable failure) {
        if (failure instanceof WebApplicationException web && web.getResponse() != null) {
            return reply(web.getResponse());
        }
        Transport.Failure classified = Transport.classify(failure);
        return WeChatReply.transport(classified.problem(), classified.mayHaveArrived());
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

}
