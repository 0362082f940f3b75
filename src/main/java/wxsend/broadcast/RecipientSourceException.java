package wxsend.broadcast;

/** The recipients' object could not be read: {@code permanent} when it is missing or forbidden, else a passing fault. */
public class RecipientSourceException extends RuntimeException {

    private final boolean permanent;

    public RecipientSourceException(boolean permanent, String message, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
