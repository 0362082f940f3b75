package wxsend.entry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;

/** Every file in src/examples runs as it is written: a dry run, answered DRY_RUN, with no call to WeChat. */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class ExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL server;

    @Test
    void everyExampleIsAValidDryRun() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("src", "examples"))) {
            examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(examples.size() >= 4, examples::toString);
        StandIns.wechat().resetRequests();
        wxsend.support.EventSourceMapping.purge();
        for (Path example : examples) {
            String body = Files.readString(example);
            JsonNode request = JSON.readTree(body);
            String route = example.getFileName().toString().startsWith("broadcast") ? "/broadcasts"
                    : request.has("recipients") ? "/messages/batch" : "/messages";
            Response answer = given().baseUri("http://" + server.getHost()).port(server.getPort()).contentType("application/json")
                    .body(body).post(route);
            assertEquals(200, answer.statusCode(), example + ": " + answer.asString());
            assertEquals("DRY_RUN", answer.jsonPath().getString("status"), example.toString());
        }
        assertEquals(0, StandIns.wechat().getAllServeEvents().size(), "a dry run calls nobody");
        assertTrue(wxsend.support.EventSourceMapping.receive().isEmpty(), "and queues nothing");
    }
}
