package wxsend.idempotency.memory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

import wxsend.idempotency.IdempotencyRecord;
import wxsend.idempotency.IdempotencyRecord.State;
import wxsend.idempotency.IdempotencyStore;

/**
 * One instance's records, for local runs and long-lived servers: it cannot protect across
 * instances. Expired records are dropped as time passes (each claim drops those due by its own
 * clock), so memory holds only the records still alive, whatever the number of keys over time.
 */
public class InMemoryIdempotencyStore implements IdempotencyStore {

    /** @param keepUntil when the entry is dropped: its expiry once completed, later while in progress */
    private record Entry(IdempotencyRecord record, String owner, Instant keepUntil) {
    }

    /** When a key's record, as of one write, expires; stale once the key has been written again. */
    private record Due(Instant at, String id) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final PriorityQueue<Due> dues = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));

    @Override
    public synchronized Claim claim(String id, String payloadHash, String owner, Instant now, Instant inProgressUntil,
            Instant keepUntil, boolean attempted) {
        dropExpired(now);
        Entry current = entries.get(id);
        Instant keep = keepUntil.isAfter(inProgressUntil) ? keepUntil : inProgressUntil;
        if (current == null || (current.record().state() == State.COMPLETED && !current.record().expiresAt().isAfter(now))) {
            put(new Entry(new IdempotencyRecord(id, State.IN_PROGRESS, payloadHash, null, inProgressUntil, now, attempted),
                    owner, keep));
            return new Claimed();
        }
        IdempotencyRecord record = current.record();
        boolean unfinished = record.state() == State.IN_PROGRESS && record.expiresAt().isBefore(now);
        if (!unfinished || !record.payloadHash().equals(payloadHash)) {
            return new Held(record);
        }
        // A takeover moves only the holder and the expiry: what the first holder may have done stays known.
        put(new Entry(new IdempotencyRecord(id, State.IN_PROGRESS, payloadHash, null, inProgressUntil, record.claimedAt(),
                record.attempted()), owner, keep));
        return new TakenOver(record);
    }

    @Override
    public synchronized boolean markAttempted(String id, String owner, Instant now) {
        Entry current = entries.get(id);
        if (current == null || !current.owner().equals(owner) || current.record().expiresAt().isBefore(now)) {
            return false;
        }
        IdempotencyRecord r = current.record();
        entries.put(id, new Entry(new IdempotencyRecord(id, r.state(), r.payloadHash(), r.result(), r.expiresAt(), now, true),
                owner, current.keepUntil()));
        return true;
    }

    @Override
    public synchronized void complete(String id, String owner, String result, Instant expiresAt) {
        Entry current = entries.get(id);
        if (current != null && current.owner().equals(owner)) {
            IdempotencyRecord claimed = current.record();
            put(new Entry(new IdempotencyRecord(id, State.COMPLETED, claimed.payloadHash(), result, expiresAt,
                    claimed.claimedAt(), claimed.attempted()), owner, expiresAt));
        }
    }

    @Override
    public synchronized void release(String id, String owner) {
        Entry current = entries.get(id);
        if (current != null && current.owner().equals(owner)) {
            entries.remove(id);
        }
    }

    /** Records held now, expired ones not yet dropped included. */
    public synchronized int size() {
        return entries.size();
    }

    private void put(Entry entry) {
        entries.put(entry.record().id(), entry);
        dues.add(new Due(entry.keepUntil(), entry.record().id()));
    }

    private void dropExpired(Instant now) {
        while (!dues.isEmpty() && !dues.peek().at().isAfter(now)) {
            Due due = dues.poll();
            Entry entry = entries.get(due.id());
            // Only if this is still the record that fell due: a later write has its own entry in dues.
            if (entry != null && !entry.keepUntil().isAfter(now)) {
                entries.remove(due.id());
            }
        }
    }
}
