package wxsend.send;

/** Recipients appear in logs only masked: enough to tell two apart, not enough to reach one. */
final class Masking {

    private Masking() {
    }

    static String openid(String openid) {
        if (openid == null) {
            return "-";
        }
        return openid.length() <= 8 ? "***" : openid.substring(0, 4) + "***" + openid.substring(openid.length() - 2);
    }
}
