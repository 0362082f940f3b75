package wxsend.send.delivery;

import wxsend.send.outcome.Errcodes;

/**
 * How wxsend treats a WeChat answer. WeChat reports most errors as HTTP 200 with a non-zero errcode,
 * so the body decides, not the status line.
 */
public enum ErrorKind {
    /** errcode 0. */
    OK,
    /** The access_token was refused: expire it (if still the stored one), fetch once more, retry once. */
    TOKEN,
    /**
     * Refused before it was acted on, so worth another try after a pause: system busy (-1), the
     * minute quota (45011), 408 and 429, and transport problems before the request was written.
     */
    TRANSIENT,
    /**
     * The request was written, and what came back does not say WeChat left it alone: a read
     * timeout or reset, any 5xx (an egress proxy's 502 or 504 may come after it forwarded the
     * request), a 200 without a readable body. WeChat may have delivered it, so only an API that
     * drops repeats (template/send, by client_msg_id) may be called again for it.
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
        return httpStatus == 200 ? AMBIGUOUS : byStatus(httpStatus);
    }

    private static ErrorKind byStatus(int status) {
        if (status == 408 || status == 429) {
            // The server did not take the whole request (408), or refused it for its rate (429).
            return TRANSIENT;
        }
        return status >= 500 ? AMBIGUOUS : PERMANENT;
    }
}
