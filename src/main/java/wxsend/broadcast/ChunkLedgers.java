package wxsend.broadcast;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where chunk ledgers live, one item per chunk. Every write is conditional on the version read,
 * so two deliveries of one chunk never both act on the same state; a write that loses answers
 * false. Failures are {@link BroadcastStoreException}.
 */
public interface ChunkLedgers {

    Optional<Ledger> read(String broadcast, int seq);

    /**
     * Writes {@code next} over the stored version {@code next.version() - 1} (none stored for a
     * version of 1), kept until {@code keepUntil}.
     *
     * @return false when another delivery wrote first
     */
    boolean write(String broadcast, int seq, Ledger next, Instant keepUntil);

    /**
     * Writes the chunk's last marks as {@link #write} does and, in the same transaction, adds its
     * counts to the broadcast's totals and marks it counted: a chunk is counted once, however often
     * it is delivered, and only with the marks it is counted by.
     *
     * @return false when another delivery wrote first
     */
    boolean settle(String broadcast, int seq, Ledger last, Map<String, Long> counts, Instant keepUntil);

    /** Keeps an existing ledger until then (a chunk waiting out a pause); creates none. */
    void keep(String broadcast, int seq, Instant keepUntil);
}
