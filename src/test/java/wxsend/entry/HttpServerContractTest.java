package wxsend.entry;

import static io.restassured.RestAssured.given;

import java.net.URL;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import wxsend.support.StandInsResource;

/** The HTTP contract against Quarkus REST, as an ordinary server runs it. */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class HttpServerContractTest extends HttpContract {

    // The Lambda test support points REST Assured's default port at the mock event server.
    @TestHTTPResource("/")
    URL server;

    @Override
    Reply call(String method, String path, Map<String, String> headers, byte[] body) {
        RequestSpecification request = given().baseUri("http://" + server.getHost()).port(server.getPort()).config(RestAssuredConfig.config().encoderConfig(
                EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)));
        headers.forEach(request::header);
        if (body != null) {
            request.body(body);
        }
        Response response = request.request(method, path);
        Map<String, String> lower = new HashMap<>();
        response.headers().forEach(h -> lower.put(h.getName().toLowerCase(Locale.ROOT), h.getValue()));
        try {
            return new Reply(response.statusCode(), lower, JSON.readTree(response.asByteArray()));
        } catch (java.io.IOException e) {
            throw new AssertionError("the answer is not JSON: " + response.asString(), e);
        }
    }
}
