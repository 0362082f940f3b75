package wxsend.broadcast;

import java.time.Duration;
import java.util.List;

/** The delivery queue, as broadcasts use it: chunk messages in, possibly delayed. Failures are {@link ChunkQueueException}. */
public interface ChunkQueue {

    /** Queues the bodies, all of them or fails; {@code delay} at most 15 minutes (SQS's longest). */
    void enqueue(List<String> bodies, Duration delay);
}
