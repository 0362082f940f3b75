package wxsend.config.dynamodb;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;

/**
 * The DynamoDB client the stores share: the extension's builder, configured by quarkus.dynamodb.*
 * as before, with its endpoint rules resolved once per distinct request shape instead of on every
 * call (see {@link ResolvedEndpoints}).
 */
@ApplicationScoped
class DynamoDbSetup {

    @Produces
    @ApplicationScoped
    DynamoDbClient dynamoDb(DynamoDbClientBuilder builder) {
        return builder.endpointProvider(new ResolvedEndpoints(DynamoDbEndpointProvider.defaultProvider())).build();
    }
}
