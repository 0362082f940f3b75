package wxsend.entry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;

import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * The HTTP API's contract, run once against each surface: Quarkus REST on a server, and the
 * Lambda function behind API Gateway. Both must answer every case the same way.
 */
abstract class HttpContract {

    record Reply(int status, Map<String, String> headers, JsonNode body) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> AS_JSON = Map.of("content-type", "application/json");

    final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    String appid;

    /** One call through the surface under test; header names in lower case. */
    abstract Reply call(String method, String path, Map<String, String> headers, byte[] body);

    Reply post(String path, String body) {
        return call("POST", path, AS_JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
    }

    @Test
    void aSentMessageIs200() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendOk("ACCESS-http-" + appid);

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(200, reply.status());
        assertEquals("SENT", reply.body().get("status").asText());
        assertEquals(1, reply.body().get("attempts").asInt());
        assertTrue(reply.headers().getOrDefault("content-type", "").startsWith("application/json"), reply.headers()::toString);
    }

    @Test
    void aDryRunIs200WithTheBody() throws Exception {
        Reply reply = post("/messages", Messages.forApp(appid).replaceFirst("\\{", "{\"dryRun\":true,"));

        assertEquals(200, reply.status());
        assertEquals("DRY_RUN", reply.body().get("status").asText());
        assertEquals(JSON.readTree(Messages.body()), reply.body().get("body"));
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void anInvalidRequestIs400WithFieldErrors() {
        Reply reply = post("/messages", "{\"touser\":42}");

        assertEquals(400, reply.status());
        assertEquals("INVALID", reply.body().get("status").asText());
        assertEquals("touser", reply.body().get("errors").get(0).get("field").asText());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aRejectionIs422WithWeChatsErrcode() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendWith("ACCESS-http-" + appid, okJson(WeChatStubs.errcode(40037, "invalid template_id")));

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(422, reply.status());
        assertEquals(40037, reply.body().get("errcode").asInt());
    }

    @Test
    void weChatBusyToTheEndIs502() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendWith("ACCESS-http-" + appid, okJson(WeChatStubs.errcode(-1, "system error")));

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(502, reply.status());
        assertEquals("FAILED", reply.body().get("status").asText());
        assertEquals(-1, reply.body().get("errcode").asInt());
    }

    @Test
    void weChatUnreachableIs503() {
        wechat.tokenIs(appid, "ACCESS-http-" + appid);
        wechat.sendWith("ACCESS-http-" + appid, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        Reply reply = post("/messages", Messages.forApp(appid));

        assertEquals(503, reply.status());
        assertEquals("FAILED", reply.body().get("status").asText());
    }

    @Test
    void healthIsUpWithoutCallingWeChat() {
        Reply reply = call("GET", "/health", Map.of(), null);

        assertEquals(200, reply.status());
        assertEquals("UP", reply.body().get("status").asText());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void anUnknownRouteIs404() {
        assertEquals(404, post("/nothing-here", Messages.body()).status());
        assertEquals(404, call("GET", "/", Map.of(), null).status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aWrongMethodIs405NamingTheRightOne() {
        Reply get = call("GET", "/messages", Map.of(), null);
        assertEquals(405, get.status());
        assertEquals("POST", get.headers().get("allow"));
        assertEquals(405, call("DELETE", "/messages", Map.of(), null).status());
        assertEquals(405, post("/health", "{}").status());
    }

    @Test
    void anOversizedBodyIs413() {
        String huge = "{\"touser\":\"" + "x".repeat(1_100_000) + "\"}";
        Reply reply = post("/messages", huge);

        assertEquals(413, reply.status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        Reply reply = call("POST", "/messages", Map.of("content-type", "text/plain"),
                Messages.body().getBytes(StandardCharsets.UTF_8));

        assertEquals(415, reply.status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void malformedJsonIs400NotA500() {
        for (String body : new String[] { "{\"touser\":", "not json", "{\"a\":1}}", "\u0000" }) {
            Reply reply = post("/messages", body);
            assertEquals(400, reply.status(), body);
            assertEquals("INVALID", reply.body().get("status").asText());
        }
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void anEmptyBodyIs400() {
        assertEquals(400, call("POST", "/messages", AS_JSON, new byte[0]).status());
        assertEquals(400, post("/messages", "[]").status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void invalidUtf8IsRefusedCleanly() {
        byte[] body = "{\"touser\":\"o\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Reply reply = call("POST", "/messages", AS_JSON, body);

        assertEquals(400, reply.status());
        assertEquals(0, wechat.allRequests());
    }

    @Test
    void aTrailingSlashIsTheSameRoute() {
        Reply reply = post("/messages/", Messages.forApp(appid).replaceFirst("\\{", "{\"dryRun\":true,"));
        assertEquals(200, reply.status());
    }
}
