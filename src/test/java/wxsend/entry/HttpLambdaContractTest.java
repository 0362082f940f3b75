package wxsend.entry;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;
import wxsend.support.Messages;

/** The HTTP contract against the Lambda `http` function, fed API Gateway HTTP API 2.0 events. */
@QuarkusTest
@TestProfile(HttpLambdaContractTest.ExportHttp.class)
class HttpLambdaContractTest extends HttpContract {

    public static class ExportHttp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "http");
        }
    }

    static ObjectNode event(String method, String path, Map<String, String> headers, byte[] body, boolean base64) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0").put("routeKey", "$default").put("rawPath", path).put("rawQueryString", "");
        ObjectNode h = event.putObject("headers");
        headers.forEach(h::put);
        ObjectNode context = event.putObject("requestContext");
        context.put("stage", "$default").put("requestId", "req-1").putObject("http").put("method", method).put("path", path);
        if (body != null) {
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", base64);
        return event;
    }

    @Override
    Reply call(String method, String path, Map<String, String> headers, byte[] body) {
        // Bytes that are not UTF-8 reach API Gateway functions base64-encoded.
        return send(event(method, path, headers, body, body != null && !isUtf8(body)));
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    Reply send(JsonNode event) {
        JsonNode response = Lambda.invoke(event.toString()).statusCode(200).extract().as(JsonNode.class);
        Map<String, String> headers = new HashMap<>();
        response.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        try {
            return new Reply(response.get("statusCode").asInt(), headers, JSON.readTree(response.get("body").asText()));
        } catch (java.io.IOException e) {
            throw new AssertionError("the body is not JSON: " + response, e);
        }
    }

    @Test
    void aBase64BodyIsDecoded() {
        byte[] body = Messages.forApp(appid).replaceFirst("\\{", "{\"dryRun\":true,").getBytes(StandardCharsets.UTF_8);
        Reply reply = send(event("POST", "/messages", AS_JSON, body, true));

        assertEquals(200, reply.status());
        assertEquals("DRY_RUN", reply.body().get("status").asText());
    }

    @Test
    void badBase64Is400() {
        ObjectNode event = event("POST", "/messages", AS_JSON, null, true);
        event.put("body", "%%% not base64 %%%");
        assertEquals(400, send(event).status());
    }

    @Test
    void aNamedStageIsNotPartOfTheRoute() {
        ObjectNode event = event("GET", "/prod/health", Map.of(), null, false);
        ((ObjectNode) event.get("requestContext")).put("stage", "prod");
        assertEquals(200, send(event).status());
    }

    @Test
    void anEventThatIsNotFromApiGatewayIs400() {
        Lambda.invoke("{\"hello\":\"world\"}").statusCode(200).body("statusCode", equalTo(400));
        Lambda.invoke("[]").statusCode(200).body("statusCode", equalTo(400));
    }
}
