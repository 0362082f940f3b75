package wxsend.config.dynamodb;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointParams;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;

/**
 * The SDK's own endpoint rules, remembered per set of parameters. The rules are a pure function of
 * their parameters (region, FIPS, dual stack, endpoint override, account id and its mode, the
 * table's ARN), and a function's parameters repeat on every call, so evaluating them per request
 * is CPU spent for the same answer each time. A failed resolution is not remembered. The map is
 * bounded: parameters that keep changing (many tables by ARN) fall back to evaluating each time.
 */
final class ResolvedEndpoints implements DynamoDbEndpointProvider {

    static final int MAX_ENTRIES = 64;

    private final DynamoDbEndpointProvider rules;
    private final Map<List<Object>, Endpoint> resolved = new ConcurrentHashMap<>();

    ResolvedEndpoints(DynamoDbEndpointProvider rules) {
        this.rules = rules;
    }

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(DynamoDbEndpointParams params) {
        List<Object> key = Arrays.asList(params.region(), params.useDualStack(), params.useFips(), params.endpoint(),
                params.accountId(), params.accountIdEndpointMode(), params.resourceArn(), params.resourceArnList());
        Endpoint known = resolved.get(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return rules.resolveEndpoint(params).thenApply(endpoint -> {
            if (resolved.size() < MAX_ENTRIES) {
                resolved.putIfAbsent(key, endpoint);
            }
            return endpoint;
        });
    }

    int size() {
        return resolved.size();
    }
}
