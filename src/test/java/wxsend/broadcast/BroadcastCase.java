package wxsend.broadcast;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.response.Response;
import wxsend.support.EventSourceMapping;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * What the broadcast suites share: a fresh app and token per test, WeChat's stand-in reset, both
 * queues purged, the log checked for secrets, and the calls a test makes (submit, status, who was reached).
 */
abstract class BroadcastCase {

    static final ObjectMapper JSON = new ObjectMapper();
    final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    final LogCapture logs = LogCapture.install();
    String appid;
    String token;

    @TestHTTPResource("/")
    URL server;

    @BeforeEach
    void fresh() {
        StandIns.wechat().resetAll();
        EventSourceMapping.purge();
        appid = TestApps.next();
        token = "ACCESS-bc-" + appid;
        wechat.tokenIs(appid, token);
    }

    @AfterEach
    void nothingSecretLogged() {
        LogHygiene.assertClean(logs.text());
    }

    Response call(String method, String path, String body) {
        var request = given().baseUri("http://" + server.getHost()).port(server.getPort()).contentType("application/json");
        return body == null ? request.request(method, path) : request.body(body).request(method, path);
    }

    String submit(int recipients, String key) {
        Response answer = call("POST", "/broadcasts", Messages.batch(appid, recipients, key));
        assertEquals(202, answer.statusCode(), answer.asString());
        assertEquals("ACCEPTED", answer.jsonPath().getString("status"));
        return answer.jsonPath().getString("id");
    }

    JsonNode status(String id) throws Exception {
        return JSON.readTree(call("GET", "/broadcasts/" + id, null).then().statusCode(200).extract().asString());
    }

    /** Deliveries per recipient that WeChat took. */
    Map<String, Integer> reached() throws Exception {
        Map<String, Integer> reached = new HashMap<>();
        for (LoggedRequest send : wechat.sends()) {
            reached.merge(JSON.readTree(send.getBodyAsString()).get("touser").asText(), 1, Integer::sum);
        }
        return reached;
    }

}
