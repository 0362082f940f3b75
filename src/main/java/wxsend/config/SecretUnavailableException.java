package wxsend.config;

/** An app's secret could not be had: transient (SSM throttled or unreachable) or permanent (no such parameter). */
public class SecretUnavailableException extends RuntimeException {

    private final boolean transientFailure;

    public SecretUnavailableException(boolean transientFailure, String message) {
        this(transientFailure, message, null);
    }

    /** @param cause kept for the log that diagnoses it; the message alone goes into results */
    public SecretUnavailableException(boolean transientFailure, String message, Throwable cause) {
        super(message, cause, false, false);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
