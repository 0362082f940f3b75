package wxsend.dev;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import wxsend.support.StandInsResource;

/**
 * GET /openapi.yaml serves docs/openapi.yaml as it is in the source tree, in dev mode and in the
 * tests' profile; a production build leaves the route out (OpenApiTest checks its build profiles).
 */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class OpenApiDocumentTest {

    @TestHTTPResource("/")
    URL server;

    @Test
    void servesTheDocument() throws IOException {
        Response answer = given().baseUri("http://" + server.getHost()).port(server.getPort()).get("/openapi.yaml");
        assertEquals(200, answer.statusCode(), answer.asString());
        assertTrue(answer.contentType().startsWith("application/yaml"), answer.contentType());
        assertEquals(Files.readString(Path.of("docs", "openapi.yaml")), new String(answer.asByteArray(), StandardCharsets.UTF_8));
    }
}
