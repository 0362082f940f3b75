package wxsend.send;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import wxsend.config.Apps;
import wxsend.config.WxsendConfig;
import wxsend.token.TokenProvider;
import wxsend.wechat.WeChatClient;

/** Validates a request, picks its app, and delivers it or shows what would be posted. */
@ApplicationScoped
public class SendService {

    static final String UNIFORM_SEND = "cgi-bin/message/wxopen/template/uniform_send";
    private static final Logger LOG = Logger.getLogger(SendService.class);

    private final Apps apps;
    private final TokenProvider tokens;
    private final WeChatClient wechat;
    private final ObjectMapper json;
    private final WxsendConfig.Send settings;
    private final long oneCallMillis;

    SendService(Apps apps, TokenProvider tokens, WeChatClient wechat, ObjectMapper json, WxsendConfig config) {
        this.apps = apps;
        this.tokens = tokens;
        this.wechat = wechat;
        this.json = json;
        this.settings = config.send();
        this.oneCallMillis = config.wechat().connectTimeout().plus(config.wechat().readTimeout()).toMillis();
    }

    public Uni<SendOutcome> send(JsonNode input) {
        long started = System.currentTimeMillis();
        RequestReader.Result read = RequestReader.read(input);
        if (read instanceof RequestReader.Invalid invalid) {
            return Uni.createFrom().item(logged(SendOutcome.invalid(invalid.errors()), null, started));
        }
        SendRequest request = ((RequestReader.Valid) read).request();
        if (request.dryRun()) {
            String app = request.app().or(apps::defaultAppid).orElse(null);
            JsonNode body = json.valueToTree(request.message());
            return Uni.createFrom().item(logged(SendOutcome.dryRun(app, UNIFORM_SEND, body), request, started));
        }
        String app;
        try {
            app = pickApp(request);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(logged(SendOutcome.invalid(List.of(new FieldError("app", e.getMessage()))), request, started));
        }
        // No retry starts unless a whole call still fits in the budget.
        long retryUntil = started + settings.timeBudget().toMillis() - oneCallMillis;
        return new Delivery(tokens, wechat, app, text(request.message()), settings.maxAttempts())
                .run(settings.initialBackoff(), settings.maxBackoff(), retryUntil)
                .onItem().transform(outcome -> logged(outcome, request, started));
    }

    /** For an entry point that refuses an event before there is a request to read. */
    public SendOutcome refuse(String field, String message) {
        return logged(SendOutcome.invalid(List.of(new FieldError(field, message))), null, System.currentTimeMillis());
    }

    private String pickApp(SendRequest request) {
        if (request.app().isPresent()) {
            return request.app().filter(apps::isConfigured)
                    .orElseThrow(() -> new IllegalArgumentException("app " + request.app().get() + " is not configured"));
        }
        return apps.defaultAppid().orElseThrow(() -> new IllegalArgumentException(apps.isEmpty()
                ? "no WeChat app is configured (set WECHAT_APPID and WECHAT_SECRET)"
                : "required when several apps are configured and WECHAT_APPID is not set"));
    }

    private String text(UniformMessage body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a validated message", e);
        }
    }

    private SendOutcome logged(SendOutcome outcome, SendRequest request, long started) {
        LOG.infof("send app=%s to=%s status=%s errcode=%s attempts=%d latencyMs=%d",
                outcome.app() == null ? "-" : outcome.app(),
                request == null ? "-" : Masking.openid(request.message().touser()),
                outcome.status(), outcome.errcode() == null ? "-" : outcome.errcode(), outcome.attempts(),
                System.currentTimeMillis() - started);
        return outcome;
    }
}
