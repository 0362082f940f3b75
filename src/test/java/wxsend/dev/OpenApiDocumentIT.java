package wxsend.dev;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;
import wxsend.support.StandInsResource;

/**
 * The packaged application (the native executable when built with -Dnative), a production build,
 * has no GET /openapi.yaml: the path is the HTTP API's own 404, as any unknown path.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class OpenApiDocumentIT {

    @TestHTTPResource("/")
    URL server;

    @Test
    void aProductionBuildDoesNotServeTheDocument() {
        Response answer = given().baseUri("http://" + server.getHost()).port(server.getPort()).get("/openapi.yaml");
        assertEquals(404, answer.statusCode(), answer.asString());
        assertEquals("not_found", answer.jsonPath().getString("error"));
    }
}
