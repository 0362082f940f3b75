package wxsend.send;

public enum Status {
    /** WeChat accepted the message (errcode 0). */
    SENT,
    /** WeChat refused it for good; retrying the same request cannot help. */
    REJECTED,
    /** A transient failure outlived its retries; the same request may succeed later. */
    FAILED,
    /** Refused before any call to WeChat; {@code errors} names each bad field. */
    INVALID,
    /** Valid, not sent: {@code body} is exactly what would be posted. */
    DRY_RUN
}
