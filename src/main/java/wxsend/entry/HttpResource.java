package wxsend.entry;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.smallrye.mutiny.Uni;

/**
 * The same HTTP API on an ordinary server (local runs, containers). It matches every path and
 * method and hands them to {@link HttpRoutes}, so 404, 405, 413 and 415 are the same on both surfaces.
 */
@Path("/")
public class HttpResource {

    @Inject
    HttpRoutes routes;

    @GET
    @Path("{path: .*}")
    public Uni<Response> get(@Context UriInfo uri, @Context HttpHeaders headers) {
        return handle("GET", uri, headers, null);
    }

    @POST
    @Path("{path: .*}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> post(@Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return handle("POST", uri, headers, body);
    }

    @PUT
    @Path("{path: .*}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> put(@Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return handle("PUT", uri, headers, body);
    }

    @PATCH
    @Path("{path: .*}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> patch(@Context UriInfo uri, @Context HttpHeaders headers, byte[] body) {
        return handle("PATCH", uri, headers, body);
    }

    @DELETE
    @Path("{path: .*}")
    public Uni<Response> delete(@Context UriInfo uri, @Context HttpHeaders headers) {
        return handle("DELETE", uri, headers, null);
    }

    private Uni<Response> handle(String method, UriInfo uri, HttpHeaders headers, byte[] body) {
        Map<String, String> lower = new HashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        Map<String, String> query = new HashMap<>();
        uri.getQueryParameters().forEach((name, values) -> query.put(name, values.get(0)));
        return routes.handle(new HttpCall(method, "/" + uri.getPath().replaceFirst("^/+", ""), lower, body, query))
                .onItem().transform(HttpResource::response);
    }

    private static Response response(HttpAnswer answer) {
        Response.ResponseBuilder response = Response.status(answer.status())
                .type(answer.headers().getOrDefault("content-type", HttpAnswer.JSON)).entity(answer.body());
        answer.headers().forEach((name, value) -> {
            if (!name.equals("content-type")) {
                response.header(name, value);
            }
        });
        return response.build();
    }
}
