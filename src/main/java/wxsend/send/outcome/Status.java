package wxsend.send.outcome;

public enum Status {
    /** WeChat accepted the message (errcode 0). */
    SENT,
    /** WeChat refused it for good; retrying the same request cannot help. */
    REJECTED,
    /** A transient failure outlived its retries; the same request may succeed later. */
    FAILED,
    /**
     * The call failed after the request was written (a read timeout, a reset connection), so WeChat
     * may have delivered it. uniform_send cannot de-duplicate, so wxsend does not call it again:
     * a duplicate is worse than a gap the caller can check.
     */
    UNKNOWN,
    /** The same idempotency key is being sent by another invocation right now; nothing was sent. */
    IN_PROGRESS,
    /** In a batch: not started, because WeChat's daily quota ran out or the deadline neared. Safe to retry. */
    NOT_ATTEMPTED,
    /** Refused before any call to WeChat; {@code errors} names each bad field. */
    INVALID,
    /** Valid, not sent: {@code body} is exactly what would be posted. */
    DRY_RUN;

    /** Whether a retry of the same request (same key) could still deliver it. */
    public boolean retryable() {
        return this == FAILED || this == IN_PROGRESS || this == NOT_ATTEMPTED;
    }
}
