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

    /**
     * Adds a chunk's final statuses to the counts, atomically and once per {@code chunk} tag: a
     * chunk delivered twice (SQS delivers at least once) is counted once.
     *
     * @return false when this chunk was counted already
     */
    boolean count(String id, String chunk, Map<String, Long> added);

    /**
     * Moves planning on from {@code from} to {@code to}, adding the invalid lines read in between,
     * only if planning still stands at {@code from}: a plan step run twice moves it once.
     *
     * @return false when another step moved it first
     */
    boolean advance(String id, Broadcast.Checkpoint from, Broadcast.Checkpoint to, long invalid);

    /** Marks it cancelled, unless it is done; false when it was done already. */
    boolean cancel(String id);

    /** Holds its chunks until then (WeChat's daily quota ran out). */
    void pause(String id, Instant until);
}
