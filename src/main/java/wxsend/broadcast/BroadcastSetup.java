package wxsend.broadcast;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import wxsend.broadcast.dynamodb.DynamoDbBroadcastStore;
import wxsend.broadcast.dynamodb.DynamoDbChunkLedgers;
import wxsend.broadcast.s3.S3FailureReport;
import wxsend.broadcast.s3.S3RecipientSource;
import wxsend.broadcast.sqs.SqsChunkQueue;
import wxsend.config.WxsendConfig;

/** Wires broadcasts to BROADCAST_TABLE, DELIVERY_QUEUE_URL and S3. The AWS clients are built only when a broadcast needs them. */
@ApplicationScoped
class BroadcastSetup {

    @Produces
    @ApplicationScoped
    BroadcastStore broadcastStore(WxsendConfig config, Instance<DynamoDbClient> dynamo) {
        return new DynamoDbBroadcastStore(dynamo.get(), config.broadcast().table().orElseThrow(), config.broadcast().keep(),
                Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    ChunkLedgers chunkLedgers(WxsendConfig config, Instance<DynamoDbClient> dynamo) {
        return new DynamoDbChunkLedgers(dynamo.get(), config.broadcast().table().orElseThrow());
    }

    @Produces
    @ApplicationScoped
    RecipientSource recipientSource(Instance<S3Client> s3) {
        return new S3RecipientSource(s3.get());
    }

    @Produces
    @ApplicationScoped
    FailureReport failureReport(WxsendConfig config, Instance<S3Client> s3) {
        return new S3FailureReport(config.broadcast().bucket().isPresent() ? s3.get() : null, config.broadcast().bucket());
    }

    @Produces
    @ApplicationScoped
    ChunkQueue chunkQueue(WxsendConfig config, Instance<SqsClient> sqs) {
        return new SqsChunkQueue(sqs.get(), config.broadcast().queueUrl().orElseThrow());
    }
}
