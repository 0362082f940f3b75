package wxsend.push;

import java.net.URI;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;

/**
 * The EventBridge client. Quarkiverse has no EventBridge extension, so it is the plain SDK client,
 * on the url-connection HTTP client the build already has for SSM, SQS and S3 (one PutEvents per
 * push does not need the pooled Apache client). Region and credentials come from the SDK's default
 * chains (AWS_REGION and the function's role on Lambda). Built when the first push is forwarded:
 * a cold start that serves no push builds none.
 */
class EventsSetup {

    @Produces
    @Singleton
    EventBridgeClient eventBridge(PushConfig config) {
        EventBridgeClientBuilder builder = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create());
        config.eventsEndpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder.build();
    }

    void close(@Disposes EventBridgeClient client) {
        client.close();
    }
}
