package wxsend.entry;

import wxsend.broadcast.BroadcastAnswer;
import wxsend.quota.QuotaAnswer;
import wxsend.send.outcome.BatchOutcome;
import wxsend.send.outcome.SendOutcome;

/**
 * Fails the invocation so that Lambda's (or EventBridge's) own retry applies; the idempotency
 * keys make that retry safe. It is reported as the errorType, and its message carries the
 * outcome, never a secret.
 */
public class SendFailedException extends RuntimeException {

    SendFailedException(SendOutcome outcome) {
        super(outcome.status() + " after " + outcome.attempts() + " attempt(s)"
                + (outcome.errcode() == null ? "" : ", errcode " + outcome.errcode())
                + (outcome.reason() == null ? "" : ": " + outcome.reason()), null, false, false);
    }

    SendFailedException(BroadcastAnswer answer) {
        super("UNAVAILABLE broadcast: " + answer.reason(), null, false, false);
    }

    SendFailedException(QuotaAnswer answer) {
        super("UNAVAILABLE quota: " + answer.reason(), null, false, false);
    }

    SendFailedException(BatchOutcome outcome) {
        super("INCOMPLETE batch " + outcome.counts() + ": " + outcome.reason(), null, false, false);
    }
}
