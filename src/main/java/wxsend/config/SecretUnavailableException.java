package wxsend.config;

/** An app's secret could not be had: transient (SSM throttled or unreachable) or permanent (no such parameter). */
public class SecretUnavailableException extends RuntimeException {

    private final boolean transientFailure;

    public SecretUnavailableException(boolean transientFailure, String message) {
        super(message, null, false, false);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
