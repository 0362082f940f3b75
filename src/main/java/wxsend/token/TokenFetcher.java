package wxsend.token;

/** Gets an access_token from WeChat. */
public interface TokenFetcher {

    /**
     * @param force ask for a new token even if WeChat holds a valid one (stable_token's
     *        force_refresh: 20 a day); ignored by endpoints that always issue a new one
     * @throws TokenUnavailableException when WeChat gives no token
     */
    AccessToken fetch(String appid, boolean force);

    /** Whether a routine fetch leaves other holders' tokens valid (stable_token) or invalidates them (cgi-bin/token). */
    boolean routineFetchIsHarmless();
}
