package wxsend.dev;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import wxsend.support.LogCapture;
import wxsend.support.LogHygiene;
import wxsend.support.StandInsResource;

/**
 * Dev mode's WeChat stand-in, switched on by the standin profile (README: A real send in dev mode), with
 * WeChat's base URL pointed at it on the test port: the examples, dry run taken out, really send; an openid ending in -errcode-N
 * gets WeChat's errcode N; a token it did not issue is refused (40001). No other build has it: the
 * native integration suites run without the switch (a build-time property), so it has no IT twin.
 */
@QuarkusTest
@TestProfile(WeChatStandInTest.On.class)
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class WeChatStandInTest {

    /** The README's standin profile, after the test profile: it switches the stand-in on at build time. */
    public static class On implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,standin";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wxsend.wechat.api-url", "http://localhost:${quarkus.http.test-port:8081}/dev/wechat",
                    "wxsend.token.store", "memory", "wxsend.idempotency.store", "memory");
        }
    }

    private final LogCapture logs = LogCapture.install();

    @TestHTTPResource("/")
    URL server;

    @AfterEach
    void clean() {
        LogHygiene.assertClean(logs.text());
    }

    private RequestSpecification http() {
        return given().baseUri("http://" + server.getHost()).port(server.getPort()).contentType("application/json");
    }

    private static String example(String name) throws Exception {
        return Files.readString(Path.of("src", "examples", name)).replace("\"dryRun\": true,", "");
    }

    @Test
    void theExamplesReallySendThroughIt() throws Exception {
        http().body(example("uniform-dry-run.json")).post("/messages").then().statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("uniform_send"));
        http().body(example("template-dry-run.json")).post("/messages").then().statusCode(200)
                .body("status", equalTo("SENT"), "via", equalTo("template/send"), "msgid", greaterThan(0));
        http().body(example("batch-dry-run.json")).post("/messages/batch").then().statusCode(200)
                .body("status", equalTo("COMPLETE"));
        http().get("/quota").then().statusCode(200).body("status", equalTo("OK"), "apis[0].dailyLimit", equalTo(100000));
        assertTrue(logs.text().contains("dev WeChat stand-in: wxopen/template/uniform_send to oAbC***z0 answered errcode 0"),
                "each message logged, its recipient masked");
    }

    @Test
    void anOpenidEndingInAnErrcodeGetsThatAnswer() throws Exception {
        http().body(example("subscribe-dry-run.json").replace("oAbCdEfGhIjKlMnOpQrStUvWxYz0", "oDevUser-errcode-43101"))
                .post("/messages").then().statusCode(422)
                .body("status", equalTo("REJECTED"), "errcode", equalTo(43101), "reason", containsString("subscribe again"));
        http().body(example("uniform-dry-run.json").replace("oAbCdEfGhIjKlMnOpQrStUvWxYz0", "oDevUser-errcode-45011"))
                .post("/messages").then().statusCode(502).body("status", equalTo("FAILED"), "attempts", equalTo(3));
    }

    @Test
    void aTokenItDidNotIssueIsRefusedAsWeChatWould() throws Exception {
        // An error is labelled text/plain, as WeChat labels some of its JSON.
        io.restassured.response.Response answer = http().body("{\"touser\":\"o1\"}")
                .post("/dev/wechat/cgi-bin/message/subscribe/send?access_token=forged");
        assertEquals(200, answer.statusCode());
        assertTrue(answer.contentType().startsWith("text/plain"), answer.contentType());
        assertEquals(40001, new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.asString()).get("errcode").asInt());
    }
}
