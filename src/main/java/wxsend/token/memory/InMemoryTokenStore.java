package wxsend.token.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import wxsend.token.AccessToken;
import wxsend.token.TokenStore;

/** The embedded default for local runs: one process, so every promise holds under one lock. */
public class InMemoryTokenStore implements TokenStore {

    private record Lease(String owner, Instant until) {
    }

    private record Forced(String day, int count, Instant last) {
    }

    private final Map<String, AccessToken> tokens = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, Forced> forced = new HashMap<>();

    @Override
    public synchronized Optional<AccessToken> read(String appid) {
        return Optional.ofNullable(tokens.get(appid));
    }

    @Override
    public synchronized boolean saveIfNewer(String appid, AccessToken token) {
        AccessToken old = tokens.get(appid);
        if (old != null && !old.expiresAt().isBefore(token.expiresAt())) {
            return false;
        }
        tokens.put(appid, token);
        leases.remove(appid);
        return true;
    }

    @Override
    public synchronized void expireIfCurrent(String appid, String tokenValue) {
        AccessToken old = tokens.get(appid);
        if (old != null && old.value().equals(tokenValue)) {
            tokens.put(appid, new AccessToken(old.value(), Instant.EPOCH));
        }
    }

    @Override
    public synchronized boolean tryLease(String appid, String owner, Instant now, Instant until) {
        Lease lease = leases.get(appid);
        if (lease != null && !lease.owner().equals(owner) && !lease.until().isBefore(now)) {
            return false;
        }
        leases.put(appid, new Lease(owner, until));
        return true;
    }

    @Override
    public synchronized void releaseLease(String appid, String owner) {
        leases.computeIfPresent(appid, (k, lease) -> lease.owner().equals(owner) ? null : lease);
    }

    @Override
    public synchronized boolean tryForce(String appid, String day, Instant now, int cap, Duration spacing) {
        Forced last = forced.get(appid);
        if (last != null && last.last().plus(spacing).isAfter(now)) {
            return false;
        }
        int count = last != null && last.day().equals(day) ? last.count() : 0;
        if (count >= cap) {
            return false;
        }
        forced.put(appid, new Forced(day, count + 1, now));
        return true;
    }
}
