package wxsend.broadcast;

import java.util.List;
import java.util.Optional;

/**
 * Where a broadcast's failures are written, so its owner can clean the list: one JSON Lines object
 * per chunk part (recipients not SENT, with status, errcode and reason) and per planning step (bad
 * lines, with their numbers). Objects are named by what they cover, so writing one again replaces it.
 */
public interface FailureReport {

    /** Where this broadcast's report lives ({@code s3://bucket/prefix/}), or empty when no report is kept. */
    Optional<String> location(String broadcastId);

    /** Writes one object of the report; fails with {@link FailureReportException}. */
    void write(String broadcastId, String name, List<String> lines);
}
