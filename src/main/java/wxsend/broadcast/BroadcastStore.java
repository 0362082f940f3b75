package wxsend.broadcast;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where broadcast records live; every call is atomic for its broadcast. Every write keeps the
 * record for BROADCAST_KEEP from then. Failures are {@link BroadcastStoreException}.
 */
public interface BroadcastStore {

    /** Records a new broadcast, unless one with its id exists; then that one is returned. */
    Optional<Broadcast> createIfAbsent(Broadcast broadcast);

    /** The record alone: its counts are only those planning made (INVALID and REPEAT lines), one read. */
    Optional<Broadcast> get(String id);

    /** The record with its counts whole: planning's, and every counted chunk's from the totals. */
    Optional<Broadcast> tally(String id);

    /** Planning ended: this many recipients were planned, and these were counted as planned (REPEAT). */
    void planned(String id, long total, Map<String, Long> added);

    /**
     * Moves planning on from {@code from} to {@code to}, adding the counts of lines settled as they
     * were read (INVALID, REPEAT), only if planning still stands at {@code from}: a plan step run
     * twice moves it once.
     *
     * @return false when another step moved it first
     */
    boolean advance(String id, Broadcast.Checkpoint from, Broadcast.Checkpoint to, Map<String, Long> added);

    /** Keeps the record until then: a broadcast still being delivered outlives its chunks. */
    void keep(String id, Instant until);

    /** Marks it cancelled, unless it is done; false when it was done already. */
    boolean cancel(String id);

    /** Holds its chunks until then (WeChat's daily quota ran out). */
    void pause(String id, Instant until);
}
