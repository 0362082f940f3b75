package wxsend.send.outcome;

/**
 * What the send line and its metric line say about one message: who asked, which app, the
 * recipient (masked here, never whole), how it ended, and how long it took.
 */
record SendLine(String requestId, String app, String to, Status status, String via, Integer errcode, int attempts,
        long latencyMs, boolean replayed) {

    static SendLine of(String requestId, SendOutcome outcome, String touser, long started, long now) {
        return new SendLine(requestId, outcome.app(), Masking.openid(touser), outcome.status(), outcome.via(),
                outcome.errcode(), outcome.attempts(), now - started, Boolean.TRUE.equals(outcome.replayed()));
    }
}
