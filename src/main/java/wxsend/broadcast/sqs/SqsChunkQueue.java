package wxsend.broadcast.sqs;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import wxsend.broadcast.ChunkQueue;
import wxsend.broadcast.ChunkQueueException;

/**
 * The delivery queue through SendMessageBatch: at most ten messages a call, and at most 256 KiB of
 * UTF-8 a call in all (SQS's limits, both counted by the call), so ten large chunks go in several calls.
 */
public class SqsChunkQueue implements ChunkQueue {

    static final int PER_CALL = 10;
    static final int BYTES_PER_CALL = 256 * 1024;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsChunkQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(List<String> bodies, Duration delay) {
        int delaySeconds = (int) Math.min(900, Math.max(0, delay.toSeconds()));
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        int bytes = 0;
        for (String body : bodies) {
            int length = body.getBytes(StandardCharsets.UTF_8).length;
            if (!entries.isEmpty() && (entries.size() == PER_CALL || bytes + length > BYTES_PER_CALL)) {
                send(entries);
                entries = new ArrayList<>();
                bytes = 0;
            }
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(entries.size())).messageBody(body)
                    .delaySeconds(delaySeconds).build());
            bytes += length;
        }
        if (!entries.isEmpty()) {
            send(entries);
        }
    }

    private void send(List<SendMessageBatchRequestEntry> entries) {
        try {
            SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                throw new ChunkQueueException("the delivery queue refused " + response.failed().size() + " chunk(s): "
                        + response.failed().get(0).code(), null);
            }
        } catch (SdkException | UncheckedIOException e) {
            throw new ChunkQueueException("the delivery queue could not be reached: " + e.getClass().getSimpleName(), e);
        }
    }
}
