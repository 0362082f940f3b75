package wxsend.token;

/** The token store could not be read or written. */
public class TokenStoreException extends RuntimeException {

    public TokenStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
