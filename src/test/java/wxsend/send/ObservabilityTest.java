package wxsend.send;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Messages;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * What operators see of each send: one log line whose structured fields (the JSON log's MDC)
 * carry the request id, app, masked recipient, status, errcode, attempts and latency, and
 * Embedded Metric Format lines counting sends by status and errcode, retries and token fetches.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class ObservabilityTest {

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private String appid;
    private String token;

    @BeforeEach
    void freshApp() {
        StandIns.wechat().resetAll();
        appid = TestApps.next();
        token = "ACCESS-obs-" + appid;
        wechat.tokenIs(appid, token);
    }

    @Test
    void eachSendLogsOneLineWithItsFieldsAndTheRecipientMasked() {
        wechat.sendInTurn(token, okJson(WeChatStubs.errcode(-1, "system busy")), okJson(WeChatStubs.errcode(0, "ok")));
        int before = logs.sendFields().size();

        Lambda.invoke(Messages.forApp(appid, "obs-sent")).statusCode(200).body("status", equalTo("SENT"));

        List<Map<String, String>> lines = mine(before);
        assertEquals(1, lines.size(), lines::toString);
        Map<String, String> line = lines.get(0);
        assertTrue(line.get("requestId").matches("[0-9a-f-]{36}"), "the Lambda request id: " + line);
        assertEquals("SENT", line.get("status"));
        assertEquals("0", line.get("errcode"));
        assertEquals("uniform_send", line.get("via"));
        assertEquals("2", line.get("attempts"));
        assertEquals("false", line.get("replayed"));
        assertTrue(Long.parseLong(line.get("latencyMs")) >= 0);
        assertEquals(Messages.OPENID.substring(0, 4) + "***" + Messages.OPENID.substring(Messages.OPENID.length() - 2),
                line.get("to"));
        LogHygiene.assertClean(logs.text());
    }

    @Test
    void metricsCountSendsByStatusAndErrcodeRetriesAndTokenFetches() {
        wechat.sendInTurn(token, okJson(WeChatStubs.errcode(-1, "system busy")), okJson(WeChatStubs.errcode(0, "ok")),
                okJson(WeChatStubs.errcode(40003, "invalid openid")));
        int before = logs.metrics().size();

        Lambda.invoke(Messages.forApp(appid, "obs-m1")).statusCode(200).body("status", equalTo("SENT"));
        Lambda.invoke(Messages.forApp(appid, "obs-m2")).statusCode(200).body("status", equalTo("REJECTED"));
        Lambda.invoke("{\"app\":\"" + appid + "\",\"touser\":42}").statusCode(200).body("status", equalTo("INVALID"));

        List<JsonNode> metrics = logs.metrics().subList(before, logs.metrics().size());
        List<JsonNode> sends = new ArrayList<>();
        metrics.stream().filter(m -> m.has("Sends")).forEach(sends::add);
        JsonNode sent = only(sends, "SENT");
        assertEquals("0", sent.get("Errcode").asText());
        assertEquals(2, sent.get("Attempts").asInt());
        assertEquals(1, sent.get("Retries").asInt());
        assertEquals(appid, sent.get("app").asText());
        JsonNode directive = sent.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals("wxsend", directive.get("Namespace").asText());
        assertEquals("[[\"Status\"],[\"Status\",\"Errcode\"]]", directive.get("Dimensions").toString());
        assertTrue(directive.get("Metrics").toString().contains("{\"Name\":\"SendLatency\",\"Unit\":\"Milliseconds\"}"));
        assertTrue(sent.get("_aws").get("Timestamp").asLong() > 0);

        assertEquals("40003", only(sends, "REJECTED").get("Errcode").asText());
        assertEquals("none", only(sends, "INVALID").get("Errcode").asText());

        List<JsonNode> fetches = metrics.stream().filter(m -> m.has("TokenFetches") && appid.equals(m.path("app").asText()))
                .toList();
        assertEquals(1, fetches.size(), fetches::toString);
        assertEquals("ok", fetches.get(0).get("Outcome").asText());
        assertFalse(fetches.get(0).get("Mode").asText().isEmpty());
        LogHygiene.assertClean(logs.text());
    }

    private List<Map<String, String>> mine(int before) {
        List<Map<String, String>> all = logs.sendFields();
        return all.subList(before, all.size()).stream().filter(f -> appid.equals(f.get("app"))).toList();
    }

    private static JsonNode only(List<JsonNode> sends, String status) {
        List<JsonNode> matching = sends.stream().filter(m -> status.equals(m.get("Status").asText())).toList();
        assertEquals(1, matching.size(), () -> status + ": " + sends);
        return matching.get(0);
    }
}
