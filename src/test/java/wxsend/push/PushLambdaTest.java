package wxsend.push;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import wxsend.support.Lambda;

/** WeChat's pushes against the Lambda `http` function, fed API Gateway HTTP API 2.0 events. */
@QuarkusTest
@TestProfile(PushLambdaTest.ExportHttp.class)
class PushLambdaTest extends PushContract {

    public static class ExportHttp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "http");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    Reply call(String method, String path, Map<String, String> query, String contentType, byte[] body) {
        ObjectNode event = JSON.createObjectNode();
        StringBuilder raw = new StringBuilder();
        query.forEach((k, v) -> raw.append(raw.length() == 0 ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        event.put("version", "2.0").put("routeKey", "$default").put("rawPath", path).put("rawQueryString", raw.toString());
        ObjectNode parameters = event.putObject("queryStringParameters");
        query.forEach(parameters::put);
        ObjectNode headers = event.putObject("headers");
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("stage", "$default").put("requestId", "req-push").putObject("http").put("method", method).put("path", path);
        if (body != null) {
            event.put("body", new String(body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", false);
        JsonNode response = Lambda.invoke(event.toString()).statusCode(200).extract().as(JsonNode.class);
        return new Reply(response.get("statusCode").asInt(), response.path("headers").path("content-type").asText(),
                response.get("body").asText());
    }
}
