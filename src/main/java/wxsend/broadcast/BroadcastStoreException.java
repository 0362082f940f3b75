package wxsend.broadcast;

/** The broadcast table could not be reached or refused the call. */
public class BroadcastStoreException extends RuntimeException {

    public BroadcastStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
