package wxsend.send.delivery;

/**
 * One answer of a message API, as the domain reads it.
 *
 * @param httpStatus 0 when nothing came back
 * @param errcode WeChat's errcode; 0 for a 200 body without one; null when there was no JSON body
 * @param msgid template/send's message id, else null
 * @param transportProblem what went wrong on the wire, when no answer came back; else null
 * @param mayHaveArrived with a transport problem: whether the request was written before it, so
 *        that WeChat may have acted on it
 */
public record Reply(int httpStatus, Integer errcode, String errmsg, Long msgid, String transportProblem,
        boolean mayHaveArrived) {

    public static Reply answered(int httpStatus, Integer errcode, String errmsg, Long msgid) {
        return new Reply(httpStatus, errcode, errmsg, msgid, null, false);
    }

    public static Reply transport(String problem, boolean mayHaveArrived) {
        return new Reply(0, null, null, null, problem, mayHaveArrived);
    }

    public ErrorKind kind() {
        return ErrorKind.of(httpStatus, errcode, transportProblem != null, mayHaveArrived);
    }

    /** A short account of what went wrong, safe to log and return. */
    public String describe() {
        if (transportProblem != null) {
            return transportProblem;
        }
        if (errcode != null && errcode != 0) {
            return "errcode " + errcode + (errmsg == null ? "" : " (" + errmsg + ")");
        }
        if (httpStatus != 200) {
            return "HTTP " + httpStatus;
        }
        return errcode == null ? "unreadable response body" : "ok";
    }
}
