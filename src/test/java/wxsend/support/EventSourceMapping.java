package wxsend.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Plays Lambda's SQS event source mapping with ReportBatchItemFailures against ElasticMQ: it
 * receives up to ten messages, invokes the deliver function with them as an SQS event through
 * the mock event server, and deletes every message not reported as a batch item failure. Failed
 * messages come back after the queue's visibility timeout, and after the redrive limit ElasticMQ
 * moves them to the dead-letter queue, as SQS does.
 */
public final class EventSourceMapping {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run did: invocations, messages handed over, and those reported failed. */
    public record Run(int invocations, int messages, int failed) {
    }

    private EventSourceMapping() {
    }

    /** Polls until the queue has stayed empty for {@code quiet}, or {@code atMost} has passed. */
    public static Run drain(Duration quiet, Duration atMost) {
        long end = System.nanoTime() + atMost.toNanos();
        long quietSince = System.nanoTime();
        int invocations = 0;
        int messages = 0;
        int failed = 0;
        while (System.nanoTime() < end) {
            List<Message> batch = receive();
            if (batch.isEmpty()) {
                if (System.nanoTime() - quietSince >= quiet.toNanos()) {
                    break;
                }
                continue;
            }
            quietSince = System.nanoTime();
            invocations++;
            messages += batch.size();
            failed += invoke(batch, true).size();
        }
        return new Run(invocations, messages, failed);
    }

    public static List<Message> receive() {
        return StandIns.sqs().receiveMessage(r -> r.queueUrl(StandIns.queueUrl()).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /**
     * Hands the messages to the function; with {@code acknowledge}, deletes those it did not
     * report failed (a sandbox killed before answering acknowledges none). Returns the failed ids.
     */
    public static Set<String> invoke(List<Message> batch, boolean acknowledge) {
        return invoke(batch, acknowledge, event -> Lambda.invoke(event).statusCode(200).extract().asString());
    }

    /** The same, through another function: {@code function} takes the event and gives the answer. */
    public static Set<String> invoke(List<Message> batch, boolean acknowledge, UnaryOperator<String> function) {
        JsonNode answer;
        try {
            answer = JSON.readTree(function.apply(event(batch)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Set<String> failed = new HashSet<>();
        answer.path("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
        if (acknowledge) {
            List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
            for (Message message : batch) {
                if (!failed.contains(message.messageId())) {
                    done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                            .receiptHandle(message.receiptHandle()).build());
                }
            }
            if (!done.isEmpty()) {
                StandIns.sqs().deleteMessageBatch(r -> r.queueUrl(StandIns.queueUrl()).entries(done));
            }
        }
        return failed;
    }

    /** AWS's documented SQS event: Records with messageId, receiptHandle, body and attributes. */
    static String event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : batch) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId()).put("receiptHandle", message.receiptHandle())
                    .put("body", message.body()).put("md5OfBody", message.md5OfBody()).put("eventSource", "aws:sqs")
                    .put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:wxsend-delivery").put("awsRegion", "us-east-1");
            ObjectNode attributes = record.putObject("attributes");
            message.attributesAsStrings().forEach(attributes::put);
            record.putObject("messageAttributes");
        }
        return event.toString();
    }

    /** Messages waiting in the dead-letter queue (ElasticMQ moves them there on the receive after the limit). */
    public static int deadLetters() {
        return Integer.parseInt(StandIns.sqs().getQueueAttributes(r -> r.queueUrl(StandIns.deadLetterQueueUrl())
                .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"));
    }

    /** Empties both queues: each test starts from nothing. */
    public static void purge() {
        StandIns.sqs().purgeQueue(r -> r.queueUrl(StandIns.queueUrl()));
        StandIns.sqs().purgeQueue(r -> r.queueUrl(StandIns.deadLetterQueueUrl()));
    }
}
