package wxsend.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the application at the stand-ins: WeChat at WireMock, the token table at DynamoDB Local. */
public class StandInsResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        StandIns.start();
        Map<String, String> config = new HashMap<>(TestApps.config());
        config.put("wxsend.wechat.api-url", StandIns.wechat().baseUrl());
        config.put("wxsend.wechat.api-urls", TestApps.EGRESS_APP + "=" + StandIns.egress().baseUrl());
        config.put("wxsend.wechat.connect-timeout", "1s");
        config.put("wxsend.wechat.read-timeout", "1s");
        config.put("wxsend.send.initial-backoff", "20ms");
        config.put("wxsend.send.max-backoff", "100ms");
        // wxsend.token.store stays at its default (dynamodb): a profile that changes it must win, and in
        // @QuarkusIntegrationTest a resource's properties outrank a profile's overrides.
        config.put("wxsend.token.table", StandIns.TABLE);
        config.put("wxsend.idempotency.table", StandIns.IDEMPOTENCY_TABLE);
        config.put("quarkus.dynamodb.endpoint-override", StandIns.applicationDynamoEndpoint().toString());
        config.put("quarkus.dynamodb.aws.region", StandIns.REGION);
        config.put("quarkus.dynamodb.aws.credentials.type", "static");
        config.put("quarkus.dynamodb.aws.credentials.static-provider.access-key-id", "test");
        config.put("quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", "test");
        config.put("wxsend.broadcast.table", StandIns.BROADCAST_TABLE);
        config.put("wxsend.broadcast.queue-url", StandIns.queueUrl());
        config.put("wxsend.broadcast.quota-delay", "1s");
        config.put("wxsend.broadcast.pause-recheck", "1s");
        config.put("quarkus.sqs.endpoint-override", StandIns.sqsEndpoint().toString());
        config.put("quarkus.sqs.aws.region", StandIns.REGION);
        config.put("quarkus.sqs.aws.credentials.type", "static");
        config.put("quarkus.sqs.aws.credentials.static-provider.access-key-id", "test");
        config.put("quarkus.sqs.aws.credentials.static-provider.secret-access-key", "test");
        config.put("wxsend.broadcast.bucket", S3Mock.BUCKET);
        config.put("wxsend.broadcast.plan-lines-per-step", "2500");
        config.put("quarkus.s3.endpoint-override", S3Mock.endpoint().toString());
        config.put("quarkus.s3.path-style-access", "true");
        config.put("quarkus.s3.aws.region", StandIns.REGION);
        config.put("quarkus.s3.aws.credentials.type", "static");
        config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", "test");
        config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", "test");
        // EventBridge has no Quarkus extension: its client takes the SDK's default chains, which read these
        // system properties (set here for this JVM, and passed as such to a packaged application).
        config.put("wxsend.push.events-endpoint", StandIns.events().baseUrl());
        config.put("wxsend.push.event-bus", "wxsend-test-bus");
        config.put("wxsend.push.token", TestApps.PUSH_TOKEN);
        config.put("wxsend.push.aes-key", TestApps.PUSH_AES_KEY);
        for (Map.Entry<String, String> property : Map.of("aws.region", StandIns.REGION, "aws.accessKeyId", "test",
                "aws.secretAccessKey", "test").entrySet()) {
            System.setProperty(property.getKey(), property.getValue());
            config.put(property.getKey(), property.getValue());
        }
        config.put("quarkus.ssm.endpoint-override", StandIns.ssm().baseUrl());
        config.put("quarkus.ssm.aws.region", StandIns.REGION);
        config.put("quarkus.ssm.aws.credentials.type", "static");
        config.put("quarkus.ssm.aws.credentials.static-provider.access-key-id", "test");
        config.put("quarkus.ssm.aws.credentials.static-provider.secret-access-key", "test");
        return config;
    }

    @Override
    public void stop() {
        // Shared by every Quarkus start in this JVM; StandIns stops them at exit.
    }
}
