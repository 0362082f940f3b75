package wxsend.push;

/**
 * A push that is not forwarded, with the answer it gets: the HTTP status, a typed error, and the
 * field (query parameter or message field) at fault. Its message is fit for the answer and the
 * log: it never quotes a token, a key, a signature or an openid.
 */
final class PushRefused extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;

    PushRefused(int status, String error, String field, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    static PushRefused invalid(String field, String reason) {
        return new PushRefused(400, "invalid_push", field, reason);
    }

    static PushRefused unauthorized(String field, String reason) {
        return new PushRefused(401, "unauthorized", field, reason);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    /** Null when no one field is at fault. */
    String field() {
        return field;
    }
}
