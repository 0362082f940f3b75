package wxsend.broadcast.s3;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import wxsend.broadcast.FailureReport;
import wxsend.broadcast.FailureReportException;

/**
 * The failures report in the user's own bucket (BROADCAST_BUCKET), under
 * {@code wxsend-reports/{broadcast}/}: it holds whole openids, which are the user's data, and never
 * leave the user's account. Without a bucket, no report is kept.
 */
public class S3FailureReport implements FailureReport {

    static final String PREFIX = "wxsend-reports/";

    private final S3Client s3;
    private final Optional<String> bucket;

    public S3FailureReport(S3Client s3, Optional<String> bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Optional<String> location(String broadcastId) {
        return bucket.map(b -> "s3://" + b + "/" + PREFIX + broadcastId + "/");
    }

    @Override
    public void write(String broadcastId, String name, List<String> lines) {
        if (bucket.isEmpty() || lines.isEmpty()) {
            return;
        }
        String key = PREFIX + broadcastId + "/" + name + ".jsonl";
        try {
            s3.putObject(r -> r.bucket(bucket.get()).key(key).contentType("application/x-ndjson"),
                    RequestBody.fromString(String.join("\n", lines) + "\n"));
        } catch (SdkException | UncheckedIOException e) {
            throw new FailureReportException("the failures report " + key + " could not be written: "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
