package wxsend.send.outcome;

import java.util.Map;
import java.util.Set;

/**
 * Every WeChat errcode the send path acts on, named once: which ones mean a refused token, a pause,
 * a retired API, a spent quota, and what each means in words a person can act on.
 */
public final class Errcodes {

    /** 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired. */
    public static final Set<Integer> TOKEN_REFUSED = Set.of(40001, 40014, 42001);
    /** -1 system busy, 45011 the API's minute quota: worth another try after a pause. */
    public static final Set<Integer> TRANSIENT = Set.of(-1, 45011);
    /** The API's daily quota is spent: a batch stops starting sends. */
    public static final int DAILY_QUOTA = 45009;

    /** The API's minute quota: transient, but for the whole app, not one recipient. */
    public static final int MINUTE_QUOTA = 45011;
    /** uniform_send's answers once WeChat has withdrawn it. */
    public static final Set<Integer> RETIRED = Set.of(45103, 45109);
    /**
     * Refusals that are no verdict on the message (the day's quota, a retired API): the key is
     * released, so a later try may still send.
     */
    public static final Set<Integer> RELEASED = Set.of(DAILY_QUOTA, 45103, 45109);

    /**
     * Refusals of the call, not of the message (the caller's IP, the API's permission, the appid):
     * another post of the same body from elsewhere could go through, so after a post that may have
     * arrived they settle nothing.
     */
    static final Set<Integer> ABOUT_THE_CALL = Set.of(40013, 40164, 48001);

    private static final Map<Integer, String> MEANING = Map.ofEntries(
            Map.entry(-1, "WeChat system busy"),
            Map.entry(40001, "access_token invalid or not the latest (another system may be fetching tokens for this app)"),
            Map.entry(40002, "invalid grant_type"),
            Map.entry(40003, "touser is not a valid openid for this app"),
            Map.entry(40013, "invalid appid"),
            Map.entry(40014, "invalid access_token"),
            Map.entry(40037, "template_id is invalid"),
            Map.entry(40125, "invalid app secret"),
            Map.entry(40164, "the calling IP is not on the app's IP allowlist: add this function's egress IP in the WeChat "
                    + "console (Settings and Development > Basic Configuration > IP allowlist). A Lambda function's egress IP "
                    + "changes unless it runs in a VPC whose NAT gateway has an Elastic IP (the template's VPC parameters); that Elastic IP "
                    + "is the one to add. Or route this app's calls through a proxy with a fixed IP (WECHAT_API_URLS=appid=https://proxy) "
                    + "and add the proxy's. WeChat's errmsg names the IP it saw"),
            Map.entry(41028, "form_id is invalid or expired"),
            Map.entry(41029, "form_id has already been used"),
            Map.entry(41030, "page is invalid"),
            Map.entry(42001, "access_token expired"),
            Map.entry(43004, "the recipient does not follow the official account"),
            Map.entry(43101, "the user has not accepted this subscription, or used it up (each acceptance allows one message): "
                    + "ask them to subscribe again before sending (a mini program: wx.requestSubscribeMessage; an official account's "
                    + "subscription notification: the wx-open-subscribe button on its web page)"),
            Map.entry(45015, "outside the customer-service window: WeChat delivers these only within 48 hours of the user's "
                    + "last message to the account (or the user unfollowed); use a template or subscription message instead"),
            Map.entry(45047, "too many customer-service messages since the user's last message to the account: wait for the "
                    + "user to write again, or use a template or subscription message"),
            Map.entry(47003, "template data does not meet the template's rules"),
            Map.entry(DAILY_QUOTA, "the API's daily quota is used up"),
            Map.entry(45011, "API called too often; try again later"),
            Map.entry(45103, "this API is no longer supported; use template/send or subscribe/send"),
            Map.entry(45109, "uniform_send has been withdrawn by WeChat; use template/send or subscribe/send"));

    /** Codes whose errmsg says what exactly is wrong (47003 names the data field). */
    private static final Set<Integer> DETAIL_IN_ERRMSG = Set.of(47003);

    private Errcodes() {
    }

    /** The meaning, and WeChat's own errmsg where it names the culprit. */
    public static String reason(Integer errcode, String errmsg) {
        String meaning = meaning(errcode);
        if (errcode != null && DETAIL_IN_ERRMSG.contains(errcode) && errmsg != null) {
            return (meaning == null ? "" : meaning + ": ") + errmsg;
        }
        return meaning;
    }

    public static String meaning(Integer errcode) {
        return errcode == null ? null : MEANING.get(errcode);
    }

    /** WeChat's verdict on the message itself, which holds for every post of the same body. */
    public static boolean refusesTheMessage(Integer errcode) {
        return errcode != null && errcode != 0 && !released(errcode) && !ABOUT_THE_CALL.contains(errcode)
                && !TOKEN_REFUSED.contains(errcode);
    }

    public static boolean released(Integer errcode) {
        return errcode != null && RELEASED.contains(errcode);
    }
}
