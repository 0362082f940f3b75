package wxsend.entry;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import wxsend.broadcast.BroadcastAnswer;
import wxsend.broadcast.BroadcastService;
import wxsend.config.WxsendConfig;
import wxsend.push.PushEndpoint;
import wxsend.send.outcome.BatchOutcome;
import wxsend.quota.QuotaAnswer;
import wxsend.quota.QuotaService;
import wxsend.send.BatchService;
import wxsend.send.request.KeyHint;
import wxsend.send.outcome.SendOutcome;
import wxsend.send.SendService;
import wxsend.send.outcome.Status;

/**
 * The HTTP API, once, for both surfaces: API Gateway events in Lambda and Quarkus REST on a server.
 * Refusals that come before the send domain (route, method, size, media type, JSON syntax) are
 * answered here; everything else is the send outcome mapped to a status.
 */
@ApplicationScoped
class HttpRoutes {

    static final String MESSAGES = "/messages";
    static final String BATCH = "/messages/batch";
    static final String HEALTH = "/health";
    static final String BROADCASTS = "/broadcasts";
    static final String QUOTA = "/quota";

    private final SendService service;
    private final BatchService batches;
    private final BroadcastService broadcasts;
    private final QuotaService quotas;
    private final PushEndpoint pushes;
    private final ObjectMapper json;
    private static final Logger LOG = Logger.getLogger(HttpRoutes.class);

    private final long maxBodyBytes;
    /** One value per key, nothing after the document: last-one-wins would send something the caller did not see. */
    private final ObjectReader strict;

    HttpRoutes(SendService service, BatchService batches, BroadcastService broadcasts, QuotaService quotas, PushEndpoint pushes,
            ObjectMapper json, WxsendConfig config) {
        this.pushes = pushes;
        this.service = service;
        this.batches = batches;
        this.broadcasts = broadcasts;
        this.quotas = quotas;
        this.json = json;
        this.maxBodyBytes = config.http().maxBodyBytes();
        this.strict = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    Uni<HttpAnswer> handle(HttpCall call) {
        String path = normalise(call.path());
        String method = call.method() == null ? "" : call.method().toUpperCase(Locale.ROOT);
        if (path.startsWith(PushEndpoint.PATH + "/")) {
            return push(path.substring(PushEndpoint.PATH.length() + 1), method, call);
        }
        if (path.startsWith(BROADCASTS + "/")) {
            return broadcast(path.substring(BROADCASTS.length() + 1), method);
        }
        if (path.equals(QUOTA) || path.startsWith(QUOTA + "/")) {
            // GET /quota (the default app) or GET /quota/{appid}.
            String app = path.equals(QUOTA) ? null : path.substring(QUOTA.length() + 1);
            if (app != null && (app.isEmpty() || app.contains("/"))) {
                return Uni.createFrom().item(error(404, "not_found", "no route " + clip(path)));
            }
            return "GET".equals(method) ? quotas.of(app).onItem().transform(this::answer).onFailure().recoverWithItem(this::unexpected)
                    : Uni.createFrom().item(notAllowed("GET"));
        }
        return switch (path) {
            case MESSAGES -> "POST".equals(method) ? send(call, Route.SEND) : Uni.createFrom().item(notAllowed("POST"));
            case BATCH -> "POST".equals(method) ? send(call, Route.BATCH) : Uni.createFrom().item(notAllowed("POST"));
            case BROADCASTS -> "POST".equals(method) ? send(call, Route.BROADCAST) : Uni.createFrom().item(notAllowed("POST"));
            case HEALTH -> "GET".equals(method) ? Uni.createFrom().item(new HttpAnswer(200, "{\"status\":\"UP\"}"))
                    : Uni.createFrom().item(notAllowed("GET"));
            default -> Uni.createFrom().item(error(404, "not_found", "no route " + clip(path)));
        };
    }

    private enum Route {
        SEND, BATCH, BROADCAST
    }

    /** GET and POST /wechat/push/{appid}: WeChat's pushes, answered as WeChat expects (text/plain "success"). */
    private Uni<HttpAnswer> push(String appid, String method, HttpCall call) {
        if (appid.isEmpty() || appid.contains("/")) {
            return Uni.createFrom().item(error(404, "not_found", "no route " + clip(PushEndpoint.PATH + "/" + appid)));
        }
        return pushes.handle(method, appid, call.query(), call.body()).onItem()
                .transform(answer -> new HttpAnswer(answer.status(), answer.body(), Map.of("content-type", answer.contentType())));
    }

    /** GET /broadcasts/{id}, POST /broadcasts/{id}/cancel. */
    private Uni<HttpAnswer> broadcast(String rest, String method) {
        boolean cancel = rest.endsWith("/cancel");
        String id = cancel ? rest.substring(0, rest.length() - "/cancel".length()) : rest;
        if (id.isEmpty() || id.contains("/")) {
            return Uni.createFrom().item(error(404, "not_found", "no route " + clip(BROADCASTS + "/" + rest)));
        }
        if (cancel) {
            return "POST".equals(method) ? broadcasts.cancel(id).onItem().transform(this::answer)
                    : Uni.createFrom().item(notAllowed("POST"));
        }
        return "GET".equals(method) ? broadcasts.status(id).onItem().transform(this::answer)
                : Uni.createFrom().item(notAllowed("GET"));
    }

    private Uni<HttpAnswer> send(HttpCall call, Route route) {
        byte[] body = call.body() == null ? new byte[0] : call.body();
        if (body.length > maxBodyBytes) {
            return Uni.createFrom().item(error(413, "too_large", "the body is over " + maxBodyBytes + " bytes"));
        }
        String type = call.header("content-type").orElse(HttpAnswer.JSON).toLowerCase(Locale.ROOT);
        if (!isJson(type)) {
            return Uni.createFrom().item(error(415, "unsupported_media_type", "send application/json"));
        }
        if (body.length == 0) {
            return Uni.createFrom().item(error(400, "invalid_json", "the body is empty"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            // Jackson alone would let overlong forms and encoded surrogates through.
            return Uni.createFrom().item(error(400, "invalid_json", "the body is not valid UTF-8"));
        }
        JsonNode request;
        try {
            request = strict.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's location only: its message quotes the input back.
            String what = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "a field appears twice in one object" : "malformed JSON";
            // Constraint failures (nesting, number length) come without a location.
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            return Uni.createFrom().item(error(400, "invalid_json", what + where));
        }
        if (request == null || request.isMissingNode()) {
            return Uni.createFrom().item(error(400, "invalid_json", "the body holds no JSON value"));
        }
        KeyHint key = KeyHint.header(call.header(HttpAnswer.KEY).orElse(null));
        Uni<HttpAnswer> answer = switch (route) {
            case BATCH -> batches.send(request, key).onItem().transform(this::answer);
            case BROADCAST -> broadcasts.submit(request, key).onItem().transform(this::answer);
            case SEND -> service.send(request, key).onItem().transform(this::answer);
        };
        // A broadcast makes its own key (bc-key-…), which only its answers know.
        String runsUnder = route == Route.BROADCAST ? null : key.runsUnder(
                Optional.ofNullable(request.path("idempotencyKey").textValue()), request.path("deduplicate").asBoolean(true))
                .orElse(null);
        return answer.onFailure().recoverWithItem(failure -> unexpected(failure, runsUnder));
    }

    private HttpAnswer unexpected(Throwable failure) {
        return unexpected(failure, null);
    }

    /**
     * A last line: a defect must still answer JSON, and must not echo the request or a token. It
     * names the key the request ran under, so that a caller who sent none can retry with it.
     */
    private HttpAnswer unexpected(Throwable failure, String key) {
        LOG.error("the request ended unexpectedly", Diagnosis.of(failure));
        ObjectNode body = json.createObjectNode();
        body.put("status", Status.FAILED.name()).put("error", "internal").put("reason",
                "wxsend failed unexpectedly; whether the message was sent is unknown, so retry with the same idempotency key");
        if (key != null) {
            body.put("idempotencyKey", key);
        }
        return new HttpAnswer(500, write(body)).withKey(key);
    }

    HttpAnswer notAnEvent() {
        return error(400, "invalid_event", "not an API Gateway HTTP API event (payload format 2.0)");
    }

    HttpAnswer answer(SendOutcome outcome) {
        return new HttpAnswer(statusOf(outcome), write(json.valueToTree(outcome))).withKey(outcome.idempotencyKey());
    }

    HttpAnswer answer(BatchOutcome outcome) {
        int status = switch (outcome.status()) {
            case COMPLETE, DRY_RUN -> 200;
            case INVALID -> 400;
            case INCOMPLETE -> 503;
        };
        return new HttpAnswer(status, write(json.valueToTree(outcome))).withKey(outcome.idempotencyKey());
    }

    HttpAnswer answer(BroadcastAnswer answer) {
        int status = switch (answer.status()) {
            case ACCEPTED -> 202;
            case FOUND, DRY_RUN -> 200;
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
        };
        return new HttpAnswer(status, write(json.valueToTree(answer))).withKey(answer.idempotencyKey());
    }

    HttpAnswer answer(QuotaAnswer answer) {
        int status = switch (answer.status()) {
            case OK -> 200;
            case INVALID -> 400;
            case REJECTED -> 422;
            case UNAVAILABLE -> 503;
        };
        return new HttpAnswer(status, write(json.valueToTree(answer)));
    }

    /**
     * FAILED is 502 when WeChat answered with a transient errcode and 503 when it (or a store)
     * could not be reached or gave no JSON: either way the client may retry later. UNKNOWN is 504:
     * WeChat did not answer in time, and a retry with the same key is answered from the record.
     */
    static int statusOf(SendOutcome outcome) {
        return switch (outcome.status()) {
            case SENT, DRY_RUN -> 200;
            case INVALID -> 400;
            case IN_PROGRESS -> 409;
            case REJECTED -> 422;
            case FAILED, NOT_ATTEMPTED -> outcome.errcode() != null ? 502 : 503;
            case UNKNOWN -> 504;
        };
    }

    private HttpAnswer notAllowed(String allowed) {
        return new HttpAnswer(405, errorBody("method_not_allowed", "use " + allowed), Map.of("allow", allowed));
    }

    private HttpAnswer error(int status, String error, String message) {
        return new HttpAnswer(status, errorBody(error, message));
    }

    private String errorBody(String error, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("status", Status.INVALID.name()).put("error", error).put("reason", message);
        return write(body);
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer", e);
        }
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim();
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static String normalise(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String clip(String path) {
        return path.length() <= 100 ? path : path.substring(0, 100) + "…";
    }
}
