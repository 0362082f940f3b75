package wxsend.entry;

import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An API Gateway HTTP API (payload format 2.0) response. */
@RegisterForReflection
public record ApiGatewayResponse(int statusCode, Map<String, String> headers, String body, boolean isBase64Encoded) {
}
