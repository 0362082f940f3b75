package wxsend.push;

import static io.restassured.RestAssured.given;

import java.net.URL;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import wxsend.support.StandInsResource;

/** WeChat's pushes against Quarkus REST, as an ordinary server runs it. */
@QuarkusTest
@QuarkusTestResource(value = StandInsResource.class, restrictToAnnotatedClass = false)
class PushServerTest extends PushContract {

    @TestHTTPResource("/")
    URL server;

    @Override
    Reply call(String method, String path, Map<String, String> query, String contentType, byte[] body) {
        RequestSpecification request = given().baseUri("http://" + server.getHost()).port(server.getPort())
                .config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .urlEncodingEnabled(true);
        query.forEach(request::queryParam);
        if (contentType != null) {
            request.contentType(contentType);
        }
        if (body != null) {
            request.body(body);
        }
        Response response = request.request(method, path);
        return new Reply(response.statusCode(), String.valueOf(response.contentType()), response.asString());
    }
}
