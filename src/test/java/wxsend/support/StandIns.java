package wxsend.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The outside world for tests, one of each per test JVM and shared by every Quarkus start:
 * WireMock playing WeChat, and DynamoDB Local as a real server on a free port, so that a
 * restarted application meets the table its previous run left behind.
 */
public final class StandIns {

    public static final String TABLE = "wxsend-tokens";
    public static final String IDEMPOTENCY_TABLE = "wxsend-idempotency";
    public static final String BROADCAST_TABLE = "wxsend-broadcasts";
    /** Receives before the delivery queue moves a message to its dead-letter queue. */
    public static final int MAX_RECEIVE_COUNT = 3;
    public static final String REGION = "us-east-1";

    private static WireMockServer wechat;
    private static WireMockServer ssm;
    private static WireMockServer egress;
    private static WireMockServer events;
    private static DynamoDBProxyServer dynamoServer;
    private static URI dynamoEndpoint;
    private static Switch dynamoSwitch;
    private static DynamoDbClient dynamo;
    private static org.elasticmq.rest.sqs.SQSRestServer sqsServer;
    private static URI sqsEndpoint;
    private static SqsClient sqs;
    private static String queueUrl;
    private static String deadLetterQueueUrl;

    private StandIns() {
    }

    public static synchronized void start() {
        if (wechat != null) {
            return;
        }
        // Enough threads for a broadcast's sends in flight: a send queued in WireMock spends its read timeout.
        wechat = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(64));
        wechat.start();
        // WeChat as seen through an app's fixed-IP egress proxy (WECHAT_API_URLS): allowlisted there.
        egress = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        egress.start();
        ssm = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(SsmParameters.INSTANCE));
        ssm.start();
        // EventBridge: every request goes to the stateful stand-in, which keeps the entries it took.
        events = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(EventBridgeEvents.INSTANCE));
        events.start();
        int port = freePort();
        try {
            dynamoServer = ServerRunner.createServerFromCommandLineArgs(
                    new String[] { "-inMemory", "-sharedDb", "-port", Integer.toString(port) });
            dynamoServer.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
        dynamoEndpoint = URI.create("http://localhost:" + port);
        dynamoSwitch = new Switch(port);
        dynamo = DynamoDbClient.builder().endpointOverride(dynamoEndpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        dynamo.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("appid")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("appid").keyType(KeyType.HASH).build()));
        dynamo.createTable(r -> r.tableName(BROADCAST_TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        startSqs();
        dynamo.createTable(r -> r.tableName(IDEMPOTENCY_TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        Runtime.getRuntime().addShutdownHook(new Thread(StandIns::stop));
    }

    /** ElasticMQ, in this JVM on a free port: SQS's JSON protocol to the real SDK client. */
    private static void startSqs() {
        int port = freePort();
        sqsServer = org.elasticmq.rest.sqs.SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
        sqsServer.waitUntilStarted();
        sqsEndpoint = URI.create("http://127.0.0.1:" + port);
        sqs = SqsClient.builder().endpointOverride(sqsEndpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        deadLetterQueueUrl = sqs.createQueue(r -> r.queueName("wxsend-delivery-dlq")).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterQueueUrl)
                .attributeNames(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN)).attributes()
                .get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN);
        queueUrl = sqs.createQueue(r -> r.queueName("wxsend-delivery").attributes(Map.of(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT, "2",
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"" + MAX_RECEIVE_COUNT + "\"}")))
                .queueUrl();
    }

    public static SqsClient sqs() {
        start();
        return sqs;
    }

    public static URI sqsEndpoint() {
        start();
        return sqsEndpoint;
    }

    public static String queueUrl() {
        start();
        return queueUrl;
    }

    public static String deadLetterQueueUrl() {
        start();
        return deadLetterQueueUrl;
    }

    private static synchronized void stop() {
        try {
            sqsServer.stopAndWait();
            wechat.stop();
            ssm.stop();
            events.stop();
            egress.stop();
            dynamoServer.stop();
        } catch (Exception ignored) {
            // the JVM is going away
        }
    }

    public static WireMockServer wechat() {
        start();
        return wechat;
    }

    /** AWS Systems Manager's JSON protocol, played by WireMock: no SSM emulator can be installed here. */
    /** WeChat behind the egress proxy that TestApps.EGRESS_APP's calls take. */
    public static WireMockServer egress() {
        start();
        return egress;
    }

    public static WireMockServer ssm() {
        start();
        return ssm;
    }

    /** Routes GetParameter and PutParameter under this path to the stateful parameter stand-in. */
    public static void keepParametersUnder(String path) {
        ssm().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/")
                .withHeader("X-Amz-Target", com.github.tomakehurst.wiremock.client.WireMock.matching("AmazonSSM\\.(Get|Put)Parameter"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.Name",
                        com.github.tomakehurst.wiremock.client.WireMock.matching(java.util.regex.Pattern.quote(path) + "/.*")))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(SsmParameters.NAME)));
    }

    /** EventBridge's JSON protocol, played by WireMock with {@link EventBridgeEvents}. */
    public static WireMockServer events() {
        start();
        return events;
    }

    public static SsmClient ssmClient() {
        return SsmClient.builder().endpointOverride(URI.create(ssm().baseUrl())).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static DynamoDbClient dynamo() {
        start();
        return dynamo;
    }

    /** A client for a DynamoDB at this endpoint: a closed port plays a store that is down. */
    public static DynamoDbClient dynamoAt(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static URI dynamoEndpoint() {
        start();
        return dynamoEndpoint;
    }

    /**
     * Where the application reaches DynamoDB Local: through a switch that a test can turn off
     * to play DynamoDB going away mid-run. Tests inspect the tables directly, past the switch.
     */
    public static URI applicationDynamoEndpoint() {
        start();
        return URI.create("http://localhost:" + dynamoSwitch.port());
    }

    public static Switch dynamoSwitch() {
        start();
        return dynamoSwitch;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
