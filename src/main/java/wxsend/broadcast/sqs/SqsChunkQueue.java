package wxsend.broadcast.sqs;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import wxsend.broadcast.ChunkQueue;
import wxsend.broadcast.ChunkQueueException;

/** The delivery queue through SendMessageBatch, ten messages a call (SQS's most). */
public class SqsChunkQueue implements ChunkQueue {

    static final int PER_CALL = 10;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsChunkQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(List<String> bodies, Duration delay) {
        int delaySeconds = (int) Math.min(900, Math.max(0, delay.toSeconds()));
        try {
            for (int from = 0; from < bodies.size(); from += PER_CALL) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = from; i < Math.min(bodies.size(), from + PER_CALL); i++) {
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - from)).messageBody(bodies.get(i))
                            .delaySeconds(delaySeconds).build());
                }
                SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                if (response.hasFailed() && !response.failed().isEmpty()) {
                    throw new ChunkQueueException("the delivery queue refused " + response.failed().size() + " chunk(s): "
                            + response.failed().get(0).code(), null);
                }
            }
        } catch (SdkException | UncheckedIOException e) {
            throw new ChunkQueueException("the delivery queue could not be reached: " + e.getClass().getSimpleName(), e);
        }
    }
}
