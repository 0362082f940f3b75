package wxsend.send;

import java.util.HashMap;
import java.util.Map;

import wxsend.send.request.BatchRequest;

/**
 * A broadcast's chunk read as a batch, for a caller that keeps its own record of who was reached
 * (the chunk's ledger) instead of one idempotency record per recipient. A recipient whose openid
 * came earlier in the chunk is marked, not refused: a list with a repeated line still reaches
 * everyone else in its chunk, and the repeat once.
 */
public final class ChunkBatch {

    final BatchRequest batch;
    final String app;
    private final int[] firstOf;

    ChunkBatch(BatchRequest batch, String app) {
        this.batch = batch;
        this.app = app;
        this.firstOf = new int[batch.recipients().size()];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < firstOf.length; i++) {
            Integer first = seen.putIfAbsent(batch.recipients().get(i).touser(), i);
            firstOf[i] = first == null ? -1 : first;
        }
    }

    /** The app that sends it. */
    public String app() {
        return app;
    }

    public int size() {
        return firstOf.length;
    }

    /** The index of the first recipient with this one's openid, or -1 when this one is the first. */
    public int repeatOf(int index) {
        return firstOf[index];
    }
}
