package wxsend.dev;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The HTTP API's contract, docs/openapi.yaml, at GET /openapi.yaml: in dev mode (and in the tests'
 * profile), never in a production build, which leaves this class out at build time. The build puts
 * the file on the class path (pom.xml, resources).
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Path("/openapi.yaml")
public class OpenApiDocument {

    static final String RESOURCE = "openapi.yaml";
    static final String MEDIA_TYPE = "application/yaml";

    @GET
    public Response document() throws IOException {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Response.status(404).type("application/json")
                        .entity("{\"status\":\"INVALID\",\"error\":\"not_found\",\"reason\":\"docs/openapi.yaml is not on the class path\"}")
                        .build();
            }
            return Response.ok(in.readAllBytes(), MEDIA_TYPE + "; charset=UTF-8").build();
        }
    }
}
