package wxsend.token;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import wxsend.config.WxsendConfig;
import wxsend.token.dynamodb.DynamoDbTokenStore;
import wxsend.token.memory.InMemoryTokenStore;
import wxsend.token.ssm.SsmTokenStore;

/** Wires the token provider to the store TOKEN_STORE names. AWS clients are built only when used. */
@ApplicationScoped
class TokenSetup {

    @Produces
    @ApplicationScoped
    TokenStore tokenStore(WxsendConfig config, Instance<DynamoDbClient> dynamo, Instance<SsmClient> ssm,
            ObjectMapper json) {
        return switch (config.token().store()) {
            case "memory" -> new InMemoryTokenStore();
            case "ssm" -> new SsmTokenStore(ssm.get(), config.token().parameterPrefix().orElseThrow(), json);
            default -> new DynamoDbTokenStore(dynamo.get(), config.token().table().orElseThrow());
        };
    }

    @Produces
    @ApplicationScoped
    TokenProvider tokenProvider(TokenStore store, TokenFetcher fetcher, WxsendConfig config) {
        WxsendConfig.Token token = config.token();
        return new TokenProvider(store, fetcher, new TokenSettings(token.refreshMargin(), token.leaseDuration(),
                token.forceDailyCap(), token.forceSpacing()), Clock.systemUTC());
    }
}
