package wxsend.send.outcome;

/**
 * What happened to one message that went to WeChat, or was stopped on its way: the part of a
 * result that is stored for duplicates, logged and answered. errcode and errmsg are WeChat's;
 * attempts counts calls to the send API; via names the API that delivered it (or last refused
 * it); msgid is template/send's message id.
 */
public record Verdict(Status status, String app, String via, Integer errcode, String errmsg, Long msgid, int attempts,
        String reason) {

    public static Verdict of(Status status, String app, int attempts, String reason) {
        return new Verdict(status, app, null, null, null, null, attempts, reason);
    }

    public Verdict via(String api, Long id) {
        return new Verdict(status, app, api, errcode, errmsg, id, attempts, reason);
    }

    /** Calls made before this verdict's own (a retired API tried first) count too. */
    public Verdict plusAttempts(int earlier) {
        return new Verdict(status, app, via, errcode, errmsg, msgid, attempts + earlier, reason);
    }

    /**
     * Whether this result stands for good, so duplicates get it back: a delivery, a possible
     * delivery, or WeChat refusing a message it was shown. Failures before WeChat saw the message
     * (token, quota for the day, a retired API) are released, so a later retry may still send.
     */
    public boolean settled() {
        return switch (status) {
            case SENT, UNKNOWN -> true;
            case REJECTED -> attempts > 0 && !Errcodes.released(errcode);
            default -> false;
        };
    }
}
