package wxsend.idempotency.memory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import wxsend.idempotency.IdempotencyRecord;
import wxsend.idempotency.IdempotencyRecord.State;
import wxsend.idempotency.IdempotencyStore;

/** One instance's records, for local runs: it cannot protect across instances. */
public class InMemoryIdempotencyStore implements IdempotencyStore {

    private record Entry(IdempotencyRecord record, String owner) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public Claim claim(String id, String payloadHash, String owner, Instant now, Instant inProgressUntil) {
        AtomicReference<IdempotencyRecord> held = new AtomicReference<>();
        entries.compute(id, (key, current) -> {
            if (current != null && current.record().expiresAt().isAfter(now)) {
                held.set(current.record());
                return current;
            }
            return new Entry(new IdempotencyRecord(id, State.IN_PROGRESS, payloadHash, null, inProgressUntil), owner);
        });
        return held.get() == null ? new Claimed() : new Held(held.get());
    }

    @Override
    public void complete(String id, String owner, String result, Instant expiresAt) {
        entries.computeIfPresent(id, (key, current) -> current.owner().equals(owner)
                ? new Entry(new IdempotencyRecord(id, State.COMPLETED, current.record().payloadHash(), result, expiresAt), owner)
                : current);
    }

    @Override
    public void release(String id, String owner) {
        entries.computeIfPresent(id, (key, current) -> current.owner().equals(owner) ? null : current);
    }
}
