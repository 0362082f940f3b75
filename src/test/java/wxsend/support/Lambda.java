package wxsend.support;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Invokes the function through Quarkus's mock Lambda event server, which sits beside the HTTP port. */
public final class Lambda {

    private Lambda() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.lambda.mock-event-server.test-port", Integer.class)
                .orElse(8083);
    }

    public static RequestSpecification event() {
        return given().port(port()).contentType("application/json").accept("application/json");
    }

    public static ValidatableResponse invoke(String event) {
        return event().body(event).when().post().then();
    }
}
