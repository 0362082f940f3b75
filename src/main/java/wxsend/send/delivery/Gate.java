package wxsend.send.delivery;

import io.smallrye.mutiny.Uni;

/**
 * What must hold before a message's first post may start: for a keyed send, that its claim says
 * the send has begun, so that a retry after a failure before then knows nothing went out.
 */
public interface Gate {

    Gate OPEN = () -> Uni.createFrom().voidItem();

    /** Fails with {@link Closed}: nothing may be posted. Asked again, it answers as the first time. */
    Uni<Void> beforeFirstPost();

    /** Nothing may be posted; the message says why, safe to log and return. */
    final class Closed extends RuntimeException {
        public Closed(String message) {
            super(message, null, false, false);
        }
    }
}
