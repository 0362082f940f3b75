package wxsend.entry;

import wxsend.send.SendOutcome;

/** Reported to Lambda as the invocation's errorType; its message carries the outcome, never a secret. */
public class SendFailedException extends RuntimeException {

    SendFailedException(SendOutcome outcome) {
        super("FAILED after " + outcome.attempts() + " attempt(s)"
                + (outcome.errcode() == null ? "" : ", errcode " + outcome.errcode())
                + (outcome.reason() == null ? "" : ": " + outcome.reason()), null, false, false);
    }
}
