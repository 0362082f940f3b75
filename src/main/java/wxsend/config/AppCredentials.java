package wxsend.config;

/** One WeChat app (mini program or official account) and its secret. */
public record AppCredentials(String appid, String secret) {

    @Override
    public String toString() {
        return "AppCredentials[appid=" + appid + ", secret=***]";
    }
}
