package wxsend.token;

/** WeChat gave no token: transient (busy, unreachable) or permanent (bad secret, IP not whitelisted…). */
public class TokenUnavailableException extends RuntimeException {

    private final boolean transientFailure;
    private final Integer errcode;
    private final String errmsg;

    public TokenUnavailableException(boolean transientFailure, Integer errcode, String errmsg, String description) {
        super("token fetch failed: " + description, null, false, false);
        this.transientFailure = transientFailure;
        this.errcode = errcode;
        this.errmsg = errmsg;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    public Integer errcode() {
        return errcode;
    }

    public String errmsg() {
        return errmsg;
    }
}
