package wxsend.entry;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** API Gateway HTTP API events (payload format 2.0): every outcome, FAILED included, is an HTTP answer. */
public class HttpFunction {

    @Inject
    HttpRoutes routes;

    @Funq("http")
    public Uni<ApiGatewayResponse> http(JsonNode event) {
        return ApiGatewayEvents.call(event)
                .map(call -> routes.handle(call))
                .orElseGet(() -> Uni.createFrom().item(routes.notAnEvent()))
                .onItem().transform(ApiGatewayEvents::response);
    }
}
