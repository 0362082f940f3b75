package wxsend.token;

/** Gets a new access_token from WeChat. The seam where stable_token will come in. */
public interface TokenFetcher {

    /** @throws TokenUnavailableException when WeChat gives no token */
    AccessToken fetch(String appid);
}
