package wxsend.entry;

import jakarta.inject.Inject;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/**
 * An SQS queue, through Lambda's event source mapping with ReportBatchItemFailures. Funqy splits
 * the event and hands each message over whole (its id included, which keys a request without a
 * key of its own); a message that fails is reported as a batch item failure, so only it comes
 * back, after the queue's visibility timeout, and after the redrive limit it is in the
 * dead-letter queue.
 */
public class DeliverFunction {

    @Inject
    QueueMessages messages;

    @Funq("deliver")
    public Uni<Void> deliver(SQSEvent.SQSMessage message) {
        return messages.handle(message.getMessageId(), message.getBody());
    }
}
