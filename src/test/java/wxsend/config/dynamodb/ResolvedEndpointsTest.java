package wxsend.config.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointParams;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;

/** The SDK's real endpoint rules underneath; only the count of their evaluations is added. */
@Tag("unit")
class ResolvedEndpointsTest {

    private final AtomicInteger evaluated = new AtomicInteger();
    private final DynamoDbEndpointProvider rules = DynamoDbEndpointProvider.defaultProvider();
    private final ResolvedEndpoints endpoints = new ResolvedEndpoints(params -> {
        evaluated.incrementAndGet();
        return rules.resolveEndpoint(params);
    });

    private static DynamoDbEndpointParams params(String region, String table) {
        return DynamoDbEndpointParams.builder().region(Region.of(region)).useFips(false).useDualStack(false)
                .accountIdEndpointMode("preferred").resourceArn(table).build();
    }

    @Test
    void theSameParametersAreEvaluatedOnceAndAnswerAsTheRulesDo() {
        for (int i = 0; i < 5; i++) {
            assertEquals("https://dynamodb.us-east-1.amazonaws.com",
                    endpoints.resolveEndpoint(params("us-east-1", "wxsend-idempotency")).join().url().toString());
        }
        assertEquals(1, evaluated.get());
    }

    @Test
    void eachParameterThatDiffersGetsItsOwnAnswer() {
        String china = endpoints.resolveEndpoint(params("cn-north-1", "t")).join().url().toString();
        String virginia = endpoints.resolveEndpoint(params("us-east-1", "t")).join().url().toString();
        String fips = endpoints.resolveEndpoint(params("us-east-1", "t").toBuilder().useFips(true).build()).join().url().toString();
        String local = endpoints.resolveEndpoint(params("us-east-1", "t").toBuilder().endpoint("http://localhost:8000").build())
                .join().url().toString();
        assertEquals("https://dynamodb.cn-north-1.amazonaws.com.cn", china);
        assertEquals("https://dynamodb.us-east-1.amazonaws.com", virginia);
        assertEquals("https://dynamodb-fips.us-east-1.amazonaws.com", fips);
        assertEquals("http://localhost:8000", local);
        assertEquals(4, evaluated.get());
        assertEquals(4, endpoints.size());
    }

    @Test
    void aFailedResolutionIsNotRemembered() {
        DynamoDbEndpointParams dualStackAndLocal = params("us-east-1", "t").toBuilder().useDualStack(true)
                .endpoint("http://localhost:8000").build();
        assertThrows(CompletionException.class, () -> endpoints.resolveEndpoint(dualStackAndLocal).join());
        assertThrows(CompletionException.class, () -> endpoints.resolveEndpoint(dualStackAndLocal).join());
        assertEquals(2, evaluated.get());
        assertEquals(0, endpoints.size());
    }

    @Test
    void theMapStopsGrowingAtItsBound() {
        for (int i = 0; i < ResolvedEndpoints.MAX_ENTRIES + 10; i++) {
            endpoints.resolveEndpoint(params("us-east-1", "table-" + i)).join();
        }
        assertEquals(ResolvedEndpoints.MAX_ENTRIES, endpoints.size());
        endpoints.resolveEndpoint(params("us-east-1", "table-" + (ResolvedEndpoints.MAX_ENTRIES + 5))).join();
        assertEquals(ResolvedEndpoints.MAX_ENTRIES + 11, evaluated.get());
    }

    /** The key names every parameter: an SDK that adds one must fail here before it is cached wrongly. */
    @Test
    void theKeyCoversEveryParameterTheSdkHas() {
        Set<String> accessors = Arrays.stream(DynamoDbEndpointParams.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0)
                .map(Method::getName).filter(name -> !name.equals("toBuilder"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("region", "useDualStack", "useFips", "endpoint", "accountId", "accountIdEndpointMode",
                "resourceArn", "resourceArnList")), accessors);
    }
}
