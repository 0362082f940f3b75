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
        // WeChat gives up on an answer after 5 s: a PutEvents that cannot finish well inside that is
        // answered 503 (and its claim released) while WeChat still waits, not after it has gone.
        EventBridgeClientBuilder builder = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofSeconds(3))
                        .apiCallAttemptTimeout(java.time.Duration.ofMillis(1200)));
        config.eventsEndpoint().ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder.build();
    }

    void close(@Disposes EventBridgeClient client) {
        client.close();
    }
}
