package wxsend.token;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import wxsend.config.WxsendConfig;
import wxsend.token.dynamodb.DynamoDbTokenStore;
import wxsend.token.memory.InMemoryTokenStore;

/** Wires the token provider to the store TOKEN_STORE names. The DynamoDB client is built only when used. */
@ApplicationScoped
class TokenSetup {

    @Produces
    @ApplicationScoped
    TokenStore tokenStore(WxsendConfig config, Instance<DynamoDbClient> dynamo) {
        if ("memory".equals(config.token().store())) {
            return new InMemoryTokenStore();
        }
        return new DynamoDbTokenStore(dynamo.get(), config.token().table().orElseThrow());
    }

    @Produces
    @ApplicationScoped
    TokenProvider tokenProvider(TokenStore store, TokenFetcher fetcher, WxsendConfig config) {
        WxsendConfig.Token token = config.token();
        return new TokenProvider(store, fetcher, new TokenSettings(token.refreshMargin(), token.leaseDuration(),
                token.forceDailyCap(), token.forceSpacing()), Clock.systemUTC());
    }
}
