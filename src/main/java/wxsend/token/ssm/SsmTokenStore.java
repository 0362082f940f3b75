package wxsend.token.ssm;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import wxsend.token.AccessToken;
import wxsend.token.TokenStore;
import wxsend.token.TokenStoreException;

/**
 * Tokens in SSM Parameter Store: {prefix}/{appid}/token is a SecureString holding
 * {"accessToken","expiresAt"}; {prefix}/{appid}/force holds the forced-refresh count.
 * <p>
 * Weaker than DynamoDB, and documented as such: SSM has no conditional write, so "never replace
 * a newer token" and the forced-refresh count are read-then-write (two instances can race), and
 * there is no lease, so every instance that finds no usable token fetches one. With stable_token
 * such extra fetches return the same token and invalidate nobody's. GetParameter's default quota
 * (40 TPS, shared by the account) is why the provider reads only on a cold start or near expiry.
 */
public class SsmTokenStore implements TokenStore {

    private final SsmClient ssm;
    private final String prefix;
    private final ObjectMapper json;

    public SsmTokenStore(SsmClient ssm, String prefix, ObjectMapper json) {
        this.ssm = ssm;
        this.prefix = prefix;
        this.json = json;
    }

    @Override
    public Optional<AccessToken> read(String appid) {
        return get(name(appid, "token"), true)
                .map(node -> new AccessToken(node.path("accessToken").asText(), Instant.ofEpochMilli(node.path("expiresAt").asLong())));
    }

    @Override
    public boolean saveIfNewer(String appid, AccessToken token) {
        Optional<AccessToken> stored = read(appid);
        if (stored.isPresent() && !stored.get().expiresAt().isBefore(token.expiresAt())) {
            return false;
        }
        write(appid, token);
        return true;
    }

    @Override
    public void expireIfCurrent(String appid, String tokenValue) {
        read(appid).filter(stored -> stored.value().equals(tokenValue))
                .ifPresent(stored -> write(appid, new AccessToken(stored.value(), Instant.EPOCH)));
    }

    /** No conditional write, no lease: every instance may refresh (harmless with stable_token). */
    @Override
    public boolean tryLease(String appid, String owner, Instant now, Instant until) {
        return true;
    }

    @Override
    public void releaseLease(String appid, String owner) {
    }

    @Override
    public boolean tryForce(String appid, String day, Instant now, int cap, Duration spacing) {
        Optional<JsonNode> last = get(name(appid, "force"), false);
        if (last.isPresent() && Instant.ofEpochMilli(last.get().path("lastAt").asLong()).plus(spacing).isAfter(now)) {
            return false;
        }
        int count = last.filter(node -> node.path("day").asText().equals(day)).map(node -> node.path("count").asInt()).orElse(0);
        if (count >= cap) {
            return false;
        }
        put(name(appid, "force"), json.createObjectNode().put("day", day).put("count", count + 1)
                .put("lastAt", now.toEpochMilli()).toString(), ParameterType.STRING);
        return true;
    }

    private void write(String appid, AccessToken token) {
        put(name(appid, "token"), json.createObjectNode().put("accessToken", token.value())
                .put("expiresAt", token.expiresAt().toEpochMilli()).toString(), ParameterType.SECURE_STRING);
    }

    private Optional<JsonNode> get(String name, boolean decrypt) {
        try {
            String value = ssm.getParameter(r -> r.name(name).withDecryption(decrypt)).parameter().value();
            return Optional.of(json.readTree(value));
        } catch (ParameterNotFoundException e) {
            return Optional.empty();
        } catch (SdkException | UncheckedIOException e) {
            throw new TokenStoreException("token parameter read failed: " + e.getClass().getSimpleName(), e);
        } catch (JsonProcessingException e) {
            throw new TokenStoreException("token parameter " + name + " does not hold wxsend's JSON", e);
        }
    }

    private void put(String name, String value, ParameterType type) {
        try {
            ssm.putParameter(r -> r.name(name).value(value).type(type).overwrite(true));
        } catch (SdkException | UncheckedIOException e) {
            throw new TokenStoreException("token parameter write failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private String name(String appid, String leaf) {
        return prefix + "/" + appid + "/" + leaf;
    }
}
