package wxsend.wechat;

import java.util.Set;

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

    /** 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired. */
    static final Set<Integer> TOKEN_CODES = Set.of(40001, 40014, 42001);
    /** -1 system busy, 45011 API minute quota. */
    static final Set<Integer> TRANSIENT_CODES = Set.of(-1, 45011);

    static ErrorKind of(WeChatReply reply) {
        if (reply.transportProblem() != null) {
            return reply.mayHaveArrived() ? AMBIGUOUS : TRANSIENT;
        }
        Integer code = reply.errcode();
        if (code != null) {
            if (code == 0) {
                return reply.httpStatus() == 200 ? OK : byStatus(reply.httpStatus());
            }
            if (TOKEN_CODES.contains(code)) {
                return TOKEN;
            }
            return TRANSIENT_CODES.contains(code) ? TRANSIENT : PERMANENT;
        }
        // No JSON to go by: a proxy page, an empty body, or a 5xx.
        return reply.httpStatus() == 200 ? TRANSIENT : byStatus(reply.httpStatus());
    }

    private static ErrorKind byStatus(int status) {
        return status >= 500 || status == 429 || status == 408 ? TRANSIENT : PERMANENT;
    }
}
