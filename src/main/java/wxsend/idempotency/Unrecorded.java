package wxsend.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settled results the store could not take, kept by this instance so that it still answers their
 * keys: checked against the payload like a stored record, dropped when the record would have
 * expired, and bounded, the oldest going first.
 */
public class Unrecorded {

    /** Bounds the results kept in memory while the store cannot take them. */
    public static final int MAX_ENTRIES = 10_000;

    private record Entry(String payloadHash, String stored, Instant expiresAt) {
    }

    private final Map<String, Entry> entries;
    private final Clock clock;

    public Unrecorded(int maxEntries, Clock clock) {
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** @param keepFor as long as the record would have been kept */
    synchronized void remember(String id, String payloadHash, String stored, Duration keepFor) {
        entries.remove(id);
        entries.put(id, new Entry(payloadHash, stored, clock.instant().plus(keepFor)));
    }

    /** The answer for a key this instance remembers, or null. */
    synchronized <R> OnceOnly.Result<R> answer(String id, String payloadHash) {
        if (entries.isEmpty()) {
            return null;
        }
        Entry entry = entries.get(id);
        if (entry == null) {
            return null;
        }
        if (!entry.expiresAt().isAfter(clock.instant())) {
            entries.remove(id);
            return null;
        }
        return entry.payloadHash().equals(payloadHash) ? new OnceOnly.Replayed<>(entry.stored()) : new OnceOnly.Conflict<>();
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * A key as a log may show it: the app and the first four characters of the caller's key, no
     * more than an openid's mask shows (a caller's key may be an openid).
     */
    static String masked(String id) {
        int cut = id.indexOf('#');
        return cut < 0 ? "a key" : "key " + id.substring(0, cut) + "#" + id.substring(cut + 1, Math.min(id.length(), cut + 5))
                + (id.length() > cut + 5 ? "…" : "");
    }
}
