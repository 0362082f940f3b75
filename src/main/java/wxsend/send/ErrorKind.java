package wxsend.send;

/**
 * How wxsend treats a WeChat answer. WeChat reports most errors as HTTP 200 with a non-zero errcode,
 * so the body decides, not the status line.
 */
public enum ErrorKind {
    /** errcode 0. */
    OK,
    /** The access_token was refused: expire it (if still the stored one), fetch once more, retry once. */
    TOKEN,
    /** Worth another try after a pause: system busy, minute quota, 5xx, transport problems. */
    TRANSIENT,
    /**
     * The call failed after the request was written (read timeout, reset): WeChat may have
     * delivered it. A send API without de-duplication must not be called again for it.
     */
    AMBIGUOUS,
    /** Retrying cannot help: bad openid, template, appid, quota for the day, retired API… */
    PERMANENT;

    /**
     * @param errcode null when the body held no JSON object
     * @param transport no answer came back
     * @param mayHaveArrived with {@code transport}: the request was written first
     */
    public static ErrorKind of(int httpStatus, Integer errcode, boolean transport, boolean mayHaveArrived) {
        if (transport) {
            return mayHaveArrived ? AMBIGUOUS : TRANSIENT;
        }
        if (errcode != null) {
            if (errcode == 0) {
                return httpStatus == 200 ? OK : byStatus(httpStatus);
            }
            if (Errcodes.TOKEN_REFUSED.contains(errcode)) {
                return TOKEN;
            }
            return Errcodes.TRANSIENT.contains(errcode) ? TRANSIENT : PERMANENT;
        }
        // No JSON to go by: a proxy page, an empty body, or a 5xx.
        return httpStatus == 200 ? TRANSIENT : byStatus(httpStatus);
    }

    private static ErrorKind byStatus(int status) {
        return status >= 500 || status == 429 || status == 408 ? TRANSIENT : PERMANENT;
    }
}
