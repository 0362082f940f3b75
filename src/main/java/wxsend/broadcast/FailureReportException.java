package wxsend.broadcast;

/** A part of the failures report could not be written. */
public class FailureReportException extends RuntimeException {

    public FailureReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
