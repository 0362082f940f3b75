package wxsend.entry;

/**
 * An unexpected failure, fit for the log: every exception of the chain keeps its type and stack
 * frames, which locate the defect, and loses its message, which may quote the request (an openid)
 * or a URL (a token).
 */
final class Diagnosis extends RuntimeException {

    private Diagnosis(Throwable original, Diagnosis cause) {
        super(original.getClass().getName(), cause, false, true);
        setStackTrace(original.getStackTrace());
    }

    static Diagnosis of(Throwable failure) {
        return of(failure, 0);
    }

    private static Diagnosis of(Throwable failure, int depth) {
        Throwable cause = failure.getCause();
        // A cause chain is short; a cycle or a runaway one is cut.
        return new Diagnosis(failure, cause == null || cause == failure || depth > 16 ? null : of(cause, depth + 1));
    }
}
