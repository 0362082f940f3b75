package wxsend.broadcast;

/** The delivery queue could not take a chunk. */
public class ChunkQueueException extends RuntimeException {

    public ChunkQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
