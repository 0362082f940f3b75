package wxsend.token.memory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import wxsend.token.AccessToken;
import wxsend.token.TokenStore;

/** The embedded default for local runs: tokens live as long as the process. */
public class InMemoryTokenStore implements TokenStore {

    private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();

    @Override
    public Optional<AccessToken> read(String appid) {
        return Optional.ofNullable(tokens.get(appid));
    }

    @Override
    public boolean saveIfNewer(String appid, AccessToken token) {
        AccessToken kept = tokens.merge(appid, token,
                (old, candidate) -> old.expiresAt().isBefore(candidate.expiresAt()) ? candidate : old);
        return kept == token;
    }

    @Override
    public void expireIfCurrent(String appid, String tokenValue) {
        tokens.computeIfPresent(appid,
                (k, old) -> old.value().equals(tokenValue) ? new AccessToken(old.value(), java.time.Instant.EPOCH) : old);
    }
}
