package wxsend.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where tokens outlive an instance, keyed by appid, and where instances agree who refreshes.
 * Every method may throw {@link TokenStoreException} when the store cannot be reached.
 */
public interface TokenStore {

    Optional<AccessToken> read(String appid);

    /**
     * Stores the token unless the store already holds one that expires later, so an older token
     * never replaces a newer one. Storing ends any refresh lease on the app.
     *
     * @return false when a newer token was kept
     */
    boolean saveIfNewer(String appid, AccessToken token);

    /** Marks the token expired, but only if it is still the stored one: another instance may have replaced it. */
    void expireIfCurrent(String appid, String tokenValue);

    /**
     * Takes the right to refresh the app's token until {@code until}, unless another owner holds
     * a lease that has not expired at {@code now}.
     */
    boolean tryLease(String appid, String owner, Instant now, Instant until);

    /** Gives the lease up, if this owner still holds it. */
    void releaseLease(String appid, String owner);

    /**
     * Counts one forced refresh, if fewer than {@code cap} were counted on {@code day} and the last
     * one was at least {@code spacing} before {@code now}; otherwise counts nothing.
     *
     * @return whether the forced refresh may go ahead
     */
    boolean tryForce(String appid, String day, Instant now, int cap, Duration spacing);
}
