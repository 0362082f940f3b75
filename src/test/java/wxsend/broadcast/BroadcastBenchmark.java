package wxsend.broadcast;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import wxsend.support.DynamoCounter;
import wxsend.support.EventSourceMapping;
import wxsend.support.Messages;
import wxsend.support.RequestCounter;
import wxsend.support.S3Mock;
import wxsend.support.Sandbox;
import wxsend.support.StandIns;
import wxsend.support.StandInsResource;
import wxsend.support.TestApps;
import wxsend.support.WeChatStubs;

/**
 * A broadcast from S3 through the whole local pipeline: ElasticMQ as the delivery queue, DynamoDB
 * Local for tokens, idempotency and the broadcast, S3Mock for the recipients, a WireMock WeChat
 * that answers each send after {@code bench.latency} ms, and {@code bench.workers} sandboxes of the
 * native executable (the deliver export, as deployed), each under the CPU share of a
 * {@code bench.memory} MB Lambda function (../shared/lambda-cpu/run-as-lambda), each fed by a poller
 * that plays Lambda's event source mapping (ten messages a batch, the template's visibility timeout
 * and function timeout). A benchmark, not a test: it prints figures and asserts only that every
 * recipient was reached once, never a time. Run it with the command in BENCHMARKS.md.
 */
class BroadcastBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Integer> SIZES = Arrays.stream(System.getProperty("bench.recipients", "10000,100000").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    private static final int RUNS = Integer.getInteger("bench.runs", 1);
    private static final int WORKERS = Integer.getInteger("bench.workers", 4);
    private static final int MEMORY_MB = Integer.getInteger("bench.memory", 256);
    private static final int LATENCY_MS = Integer.getInteger("bench.latency", 50);
    private static final Path FUNCTION = Path.of(System.getProperty("bench.function", "target/wxsend-0.1.0-SNAPSHOT-runner"));
    private static final Path RUN_AS_LAMBDA = Path.of("..", "shared", "lambda-cpu", "run-as-lambda");
    /** template.yaml: the function's Timeout and the queue's VisibilityTimeout. */
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(30);
    private static final String VISIBILITY_TIMEOUT = "180";

    /** BROADCAST_CHUNK_SIZE for the workers; unset, the deployed default. */
    private static final String CHUNK_SIZE = System.getProperty("bench.chunk-size");
    /** A broadcast that moves no count for this long has stopped: the benchmark fails rather than waits an hour. */
    private static final Duration STALLED = Duration.ofMinutes(Integer.getInteger("bench.stalled-minutes", 5));

    @Test
    void report() throws Exception {
        if (!Files.isExecutable(FUNCTION)) {
            throw new IllegalStateException("no native executable at " + FUNCTION + ": build it (README) or pass -Dbench.function");
        }
        Map<String, String> config = new StandInsResource().start();
        S3Mock.s3();
        StandIns.sqs().setQueueAttributes(r -> r.queueUrl(StandIns.queueUrl())
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, VISIBILITY_TIMEOUT)));
        WireMockServer wechat = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(400)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(8));
        wechat.start();
        String appid = TestApps.appid(1);
        String token = "ACCESS-bench-" + appid;
        WeChatStubs stubs = new WeChatStubs(wechat);
        stubs.tokenIs(appid, token);
        stubs.sendWith(token, okJson(WeChatStubs.errcode(0, "ok")).withFixedDelay(LATENCY_MS));
        config.put("wxsend.wechat.api-url", wechat.baseUrl());
        // The deployed defaults, not the tests' short timeouts and steps.
        for (String key : List.of("wxsend.wechat.connect-timeout", "wxsend.wechat.read-timeout", "wxsend.send.initial-backoff",
                "wxsend.send.max-backoff", "wxsend.broadcast.plan-lines-per-step", "wxsend.broadcast.quota-delay",
                "wxsend.broadcast.pause-recheck")) {
            config.remove(key);
        }
        // Every DynamoDB call of the workers goes through the counter, which asks for and adds up
        // its consumed capacity; the benchmark's own polling goes to DynamoDB Local directly.
        DynamoCounter counter = new DynamoCounter(StandIns.dynamoEndpoint());
        config.put("quarkus.dynamodb.endpoint-override", counter.endpoint().toString());
        // Likewise their SQS and S3 requests; the event source mapping's are counted by its poller.
        RequestCounter sqs = RequestCounter.sqs(StandIns.sqsEndpoint());
        RequestCounter s3 = RequestCounter.s3(S3Mock.endpoint());
        config.put("quarkus.sqs.endpoint-override", sqs.endpoint().toString());
        config.put("quarkus.s3.endpoint-override", s3.endpoint().toString());
        if (CHUNK_SIZE != null) {
            config.put("wxsend.broadcast.chunk-size", CHUNK_SIZE);
        }
        config.put("quarkus.funqy.export", "deliver");
        config.put("quarkus.http.host-enabled", "false");

        List<String> lines = new ArrayList<>(List.of(BroadcastFigures.HEADER));
        List<String> costs = new ArrayList<>(List.of(BroadcastFigures.COST_HEADER));
        List<String> operations = new ArrayList<>();
        try {
            for (int size : SIZES) {
                for (int run = 1; run <= RUNS; run++) {
                    counter.reset();
                    sqs.reset();
                    s3.reset();
                    BroadcastFigures.Run result = run(size, run, appid, config, wechat, counter, sqs, s3);
                    lines.add(BroadcastFigures.line(result, run));
                    costs.add(BroadcastFigures.cost(result, run, MEMORY_MB > 0 ? MEMORY_MB : 256));
                    int number = run;
                    result.byOperation().forEach((op, t) -> operations.add(String.format("| %,d | %d | %s | %,d | %,.0f | %,d |",
                            size, number, op, t.calls(), t.units(), t.refused())));
                    assertEquals(0, result.duplicates(), "a recipient reached twice");
                    assertEquals(0, result.missing(), "a recipient neither reached nor reported UNKNOWN");
                }
            }
        } finally {
            wechat.stop();
            counter.close();
            sqs.close();
            s3.close();
        }
        System.out.println("== broadcast benchmark: " + WORKERS + " workers, "
                + (MEMORY_MB > 0 ? "each at the CPU share of " + MEMORY_MB + " MB" : "no CPU share") + ", WeChat answering after "
                + LATENCY_MS + " ms, " + (CHUNK_SIZE == null ? "" : "chunk size " + CHUNK_SIZE + ", ") + FUNCTION);
        lines.forEach(System.out::println);
        System.out.println();
        System.out.println("DynamoDB by operation, as DynamoDB Local reported its consumed capacity (refused: answered other than 200)");
        System.out.println("| recipients | run | operation | calls | capacity units | refused |");
        System.out.println("|---|---|---|---|---|---|");
        operations.forEach(System.out::println);
        System.out.println();
        System.out.println("Dollars per million recipients, us-east-1 list prices (BroadcastFigures), at " + MEMORY_MB + " MB");
        costs.forEach(System.out::println);
    }

    private BroadcastFigures.Run run(int size, int run, String appid, Map<String, String> config, WireMockServer wechat,
            DynamoCounter counter, RequestCounter sqs, RequestCounter s3) throws Exception {
        String key = "bench/" + size + "-" + run + "-" + System.currentTimeMillis() + ".jsonl";
        S3Mock.s3().putObject(r -> r.bucket(S3Mock.BUCKET).key(key), RequestBody.fromString(recipients(size)));
        String source = "s3://" + S3Mock.BUCKET + "/" + key;
        wechat.resetRequests();

        List<Sandbox> sandboxes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Path log = Files.createTempFile("wxsend-worker-" + w + "-", ".log");
            logs.add(log);
            sandboxes.add(new Sandbox(command(w, config), Map.of("DISABLE_SIGNAL_HANDLERS", "true"), log));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger invocations = new AtomicInteger();
        AtomicInteger failedInvocations = new AtomicInteger();
        Mapping mapping = new Mapping();
        List<Thread> pollers = new ArrayList<>();
        for (Sandbox sandbox : sandboxes) {
            Thread poller = new Thread(() -> poll(sandbox, stop, invocations, failedInvocations, mapping), "poller");
            poller.setDaemon(true);
            poller.start();
            pollers.add(poller);
        }
        Thread.sleep(2000); // each sandbox's start-up, outside the figures
        double cpuBefore = sandboxes.stream().mapToDouble(Sandbox::cpuSeconds).sum();

        String batch = Messages.batch(appid, 1, "bench-" + key).replaceFirst("\"recipients\":\\[.*\\]",
                "\"recipientsFrom\":\"" + source + "\"");
        long started = System.nanoTime();
        StandIns.sqs().sendMessage(r -> r.queueUrl(StandIns.queueUrl()).messageBody("{\"broadcast\":" + batch + "}"));
        Map<String, Long> counts = BroadcastCounts.awaitCounted(source, size, STALLED);
        double wall = (System.nanoTime() - started) / 1e9;
        double cpu = sandboxes.stream().mapToDouble(Sandbox::cpuSeconds).sum() - cpuBefore;
        double rss = sandboxes.stream().mapToDouble(Sandbox::peakRssMb).max().orElse(0);
        stop.set(true);
        for (Thread poller : pollers) {
            poller.join();
        }
        sandboxes.forEach(Sandbox::close);

        Map<String, Integer> reached = new HashMap<>();
        for (LoggedRequest send : wechat.findAll(postRequestedFor(urlPathEqualTo(WeChatStubs.SEND_PATH)))) {
            reached.merge(JSON.readTree(send.getBodyAsString()).get("touser").asText(), 1, Integer::sum);
        }
        long unknown = counts.getOrDefault("UNKNOWN", 0L);
        int duplicates = (int) reached.values().stream().filter(n -> n > 1).count();
        int missing = (int) Math.max(0, size - reached.size() - unknown);
        int[] sent = new int[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            try (var stream = Files.lines(logs.get(w))) {
                sent[w] = (int) stream.filter(l -> l.contains("status=SENT")).count();
            }
            Files.delete(logs.get(w));
        }
        return new BroadcastFigures.Run(size, wall, sent, cpu, rss, duplicates, missing, unknown, invocations.get(),
                failedInvocations.get(), mapping.invokedNanos.sum() / 1e9, counter.writeCalls(), counter.writeUnits(),
                counter.readCalls(), counter.readUnits(),
                counter.byOperation().values().stream().mapToLong(DynamoCounter.Tally::refused).sum(), counter.byOperation(),
                sqs.billed(), mapping.billed.sum(), s3.byOperation());
    }

    /**
     * What the event source mapping is billed and the functions run for: each receive that brought
     * messages, in 64 KiB pieces of the bodies it brought, and the one DeleteMessageBatch after it;
     * each invocation's duration. Its empty long polls are left out: they cost by the minute, not by
     * the recipient.
     */
    private static final class Mapping {
        final LongAdder billed = new LongAdder();
        final LongAdder invokedNanos = new LongAdder();
    }

    /** Lambda's event source mapping for one sandbox: ten messages a batch, failures left for redelivery. */
    private static void poll(Sandbox sandbox, AtomicBoolean stop, AtomicInteger invocations, AtomicInteger failed,
            Mapping mapping) {
        while (!stop.get()) {
            List<Message> batch = StandIns.sqs().receiveMessage(r -> r.queueUrl(StandIns.queueUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                continue;
            }
            invocations.incrementAndGet();
            long bytes = batch.stream().mapToLong(m -> m.body().getBytes(StandardCharsets.UTF_8).length).sum();
            mapping.billed.add(RequestCounter.sqsRequests(bytes) + 1);
            long started = System.nanoTime();
            try {
                EventSourceMapping.invoke(batch, true, event -> sandbox.invoke(event, FUNCTION_TIMEOUT));
            } catch (IllegalStateException e) {
                // A failed invocation deletes nothing: its messages come back after the visibility timeout.
                failed.incrementAndGet();
            }
            mapping.invokedNanos.add(System.nanoTime() - started);
        }
    }

    private List<String> command(int worker, Map<String, String> config) {
        List<String> command = new ArrayList<>();
        if (MEMORY_MB > 0) {
            // run-as-lambda names its cgroup by the size, so each sandbox takes its own by one more MB
            // (each Lambda sandbox has a share of its own; one MB moves it by 0.4% at 256).
            command.add(RUN_AS_LAMBDA.toString());
            command.add(Integer.toString(MEMORY_MB + worker));
        }
        command.add(FUNCTION.toAbsolutePath().toString());
        if (MEMORY_MB > 0) {
            // Inside Lambda the executable sees MEMORY_MB of memory and sizes its heap at 80% of it
            // (the native image's default); here it would see the whole machine's.
            command.add("-Xmx" + MEMORY_MB * 8 / 10 + "m");
        }
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        return command;
    }

    private static String recipients(int n) {
        StringBuilder lines = new StringBuilder();
        for (int line = 1; line <= n; line++) {
            lines.append("{\"touser\":\"").append(Messages.openid(line)).append("\",\"data\":{\"keyword1\":{\"value\":\"prize ")
                    .append(line).append("\"}}}\n");
        }
        return lines.toString();
    }
}
