package wxsend.idempotency;

/** The idempotency store could not be reached or refused the call; nothing may be sent. */
public class IdempotencyStoreException extends RuntimeException {

    public IdempotencyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
