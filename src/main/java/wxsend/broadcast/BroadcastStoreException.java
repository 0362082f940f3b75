package wxsend.broadcast;

/** The broadcast table could not be reached or refused the call. */
public class BroadcastStoreException extends RuntimeException {

    private final boolean contended;

    public BroadcastStoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param contended two writes met on one item at the same moment: trying again soon will do */
    public BroadcastStoreException(String message, Throwable cause, boolean contended) {
        super(message, cause);
        this.contended = contended;
    }

    public boolean contended() {
        return contended;
    }

    static boolean isContended(Throwable e) {
        return e instanceof BroadcastStoreException store && store.contended();
    }
}
