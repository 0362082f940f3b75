package wxsend.entry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import wxsend.support.Lambda;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.Malformed;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * Generated malformed requests, over HTTP and by direct invocation: each is refused (400, or 413
 * over the size limit) naming what is wrong, and none reaches WeChat, the idempotency table, an
 * error log or a 500. The seed is fixed so a failure can be replayed; -Dmalformed.seed explores others.
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class MalformedInputTest {

    static final int CASES = 1_200;
    static final long SEED = Long.getLong("malformed.seed", 20261124L);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The openids the generator uses as names: Messages.openid's, and with '-' (Malformed.dashedOpenid). */
    private static final Pattern WHOLE_OPENID = Pattern.compile("oRcpt-?\\d{22,23}");

    @TestHTTPResource("/")
    URL server;

    private final WeChatStubs wechat = new WeChatStubs(StandIns.wechat());
    private final LogCapture logs = LogCapture.install();
    private final String appid = TestApps.next();
    private int problemsBefore;

    @BeforeEach
    void reset() {
        StandIns.wechat().resetAll();
        wechat.tokenIs(appid, "ACCESS-malformed-" + appid);
        wechat.sendOk("ACCESS-malformed-" + appid);
        problemsBefore = logs.problems().size();
    }

    @Test
    void everyMalformedRequestOverHttpIsRefusedByNameAndSendsNothing() {
        List<Malformed.Case> cases = new Malformed(SEED, appid, 1000, 1_048_576).cases(CASES);
        List<String> wrong = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        for (Malformed.Case c : cases) {
            Response response = given().baseUri("http://" + server.getHost()).port(server.getPort())
                    .config(RestAssuredConfig.config().encoderConfig(
                            EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                    .contentType("application/json").body(c.body())
                    .post(c.batch() ? HttpRoutes.BATCH : HttpRoutes.MESSAGES);
            check(c, response.statusCode(), body(response.asByteArray()), wrong);
            kinds.add(c.what().replaceAll("\\[\\d+\\]", "[]"));
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases.size() + " answered wrongly:\n" + String.join("\n", wrong));
        assertNothingHappened();
        assertTrue(kinds.size() > 200, "the generator should vary its cases, made " + kinds.size() + " kinds");
        for (String kind : List.of("invalid UTF-8", "truncated", "trailing data", "duplicate key", "not JSON", "deep",
                "over the size limit", "empty", "not an object", "x_half?", "recipients[")) {
            assertTrue(cases.stream().anyMatch(c -> c.what().contains(kind)), "no case of " + kind);
        }
    }

    @Test
    void halfASurrogateInAFieldNameFailsTheDirectInvocationBeforeWxsendAndSendsNothing() {
        // Jackson's byte parser, which Funqy reads invocations with, refuses it: a function error, not a result.
        // The runtime logs that failure itself, so only the sending is checked here.
        Lambda.event().body("{\"touser\":\"o1\",\"x_half\\uD800\":1}").post().then().statusCode(500);
        assertNothingSent();
    }

    @Test
    void directInvocationsRefuseTheWellFormedOnesAsInvalid() {
        // Lambda's Invoke API only accepts valid JSON, so only breaks of fields can arrive this way.
        // A single message that carries recipients is a batch here (there is no route to tell them apart).
        List<Malformed.Case> cases = new Malformed(SEED + 1, appid, 1000, 1_048_576).cases(400).stream()
                .filter(Malformed.Case::json).filter(c -> c.batch() || !c.fields().contains("recipients")).limit(200).toList();
        List<String> wrong = new ArrayList<>();
        for (Malformed.Case c : cases) {
            Response response = Lambda.event().body(c.body()).post();
            check(c, response.statusCode() == 200 ? 400 : response.statusCode(), body(response.asByteArray()), wrong);
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases.size() + " answered wrongly:\n" + String.join("\n", wrong));
        assertNothingHappened();
    }

    static void check(Malformed.Case c, int status, JsonNode body, List<String> wrong) {
        String answer = body == null ? "(not JSON)" : clip(body.toString());
        if (status != c.status() || body == null || !"INVALID".equals(body.path("status").asText())) {
            wrong.add(c + " -> " + status + " " + answer);
            return;
        }
        if (c.error() != null) {
            if (!c.error().equals(body.path("error").asText())) {
                wrong.add(c + " -> expected error " + c.error() + ", got " + answer);
            }
            return;
        }
        Set<String> named = new HashSet<>();
        body.path("errors").forEach(e -> named.add(e.path("field").asText()));
        if (!named.containsAll(c.fields())) {
            wrong.add(c + " -> expected " + c.fields() + ", named " + named);
        }
        // An INVALID answer lists no recipient, so any whole openid in it is a caller's key quoted back.
        if (WHOLE_OPENID.matcher(body.toString()).find()) {
            wrong.add(c + " -> quotes a whole openid: " + answer);
        }
    }

    private void assertNothingHappened() {
        assertNothingSent();
        List<String> problems = logs.problems();
        assertEquals(List.of(), problems.subList(problemsBefore, problems.size()), "a malformed request logged an error");
        LogHygiene.assertClean(logs.text());
    }

    private void assertNothingSent() {
        assertEquals(0, wechat.allRequests(), "a malformed request reached WeChat");
        assertEquals(0, StandIns.dynamo().scan(ScanRequest.builder().tableName(StandIns.IDEMPOTENCY_TABLE)
                .filterExpression("begins_with(id, :app)")
                .expressionAttributeValues(java.util.Map.of(":app",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(appid + "#")))
                .build()).count(), "a malformed request claimed an idempotency key");
    }

    private static JsonNode body(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String clip(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
