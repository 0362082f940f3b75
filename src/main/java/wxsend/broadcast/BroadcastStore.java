package wxsend.broadcast;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Where broadcast records live; every call is atomic for its broadcast. Failures are {@link BroadcastStoreException}. */
public interface BroadcastStore {

    /** Records a new broadcast, unless one with its id exists; then that one is returned. */
    Optional<Broadcast> createIfAbsent(Broadcast broadcast);

    Optional<Broadcast> get(String id);

    /** Planning ended: this many recipients were queued. */
    void planned(String id, long total);

    /** Adds to the counts atomically, so that sandboxes delivering chunks at once never lose one. */
    void count(String id, Map<String, Long> added);

    /** Marks it cancelled, unless it is done; false when it was done already. */
    boolean cancel(String id);

    /** Holds its chunks until then (WeChat's daily quota ran out). */
    void pause(String id, Instant until);
}
