package wxsend.token;

import java.util.Optional;

/**
 * Where tokens outlive an instance, keyed by appid. Every method may throw
 * {@link TokenStoreException} when the store cannot be reached.
 */
public interface TokenStore {

    Optional<AccessToken> read(String appid);

    /**
     * Stores the token unless the store already holds one that expires later, so an older token
     * never replaces a newer one.
     *
     * @return false when a newer token was kept
     */
    boolean saveIfNewer(String appid, AccessToken token);

    /** Marks the token expired, but only if it is still the stored one: another instance may have replaced it. */
    void expireIfCurrent(String appid, String tokenValue);
}
