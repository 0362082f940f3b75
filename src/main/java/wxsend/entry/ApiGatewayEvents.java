package wxsend.entry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads API Gateway HTTP API events (payload format 2.0) and writes their responses. */
final class ApiGatewayEvents {

    private ApiGatewayEvents() {
    }

    /** Empty when the event is not an HTTP API 2.0 event, or its base64 body does not decode. */
    static Optional<HttpCall> call(JsonNode event) {
        if (event == null || !event.isObject()) {
            return Optional.empty();
        }
        JsonNode http = event.path("requestContext").path("http");
        String method = http.path("method").asText(null);
        String rawPath = event.path("rawPath").asText(http.path("path").asText(null));
        if (method == null || rawPath == null) {
            return Optional.empty();
        }
        Map<String, String> headers = new HashMap<>();
        event.path("headers").fields().forEachRemaining(
                h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()));
        JsonNode bodyNode = event.get("body");
        byte[] body = new byte[0];
        if (bodyNode != null && bodyNode.isTextual()) {
            if (event.path("isBase64Encoded").asBoolean(false)) {
                try {
                    body = Base64.getDecoder().decode(bodyNode.textValue());
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            } else {
                body = bodyNode.textValue().getBytes(StandardCharsets.UTF_8);
            }
        }
        // API Gateway decodes them, and joins a repeated one with commas: WeChat repeats none.
        Map<String, String> query = new HashMap<>();
        event.path("queryStringParameters").fields().forEachRemaining(q -> query.put(q.getKey(), q.getValue().asText()));
        return Optional.of(new HttpCall(method, withoutStage(rawPath, event.path("requestContext").path("stage").asText("$default")),
                headers, body, query));
    }

    /** With a named stage, rawPath starts with it; routes are written without. */
    private static String withoutStage(String rawPath, String stage) {
        String prefix = "/" + stage;
        if (!"$default".equals(stage) && (rawPath.equals(prefix) || rawPath.startsWith(prefix + "/"))) {
            return rawPath.substring(prefix.length());
        }
        return rawPath;
    }

    static ApiGatewayResponse response(HttpAnswer answer) {
        Map<String, String> headers = new HashMap<>(answer.headers());
        headers.putIfAbsent("content-type", HttpAnswer.JSON);
        return new ApiGatewayResponse(answer.status(), headers, answer.body(), false);
    }
}
