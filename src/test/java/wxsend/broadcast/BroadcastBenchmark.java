package wxsend.broadcast;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import wxsend.support.DynamoCounter;
import wxsend.support.EventSourceMapping;
import wxsend.support.Messages;
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
    /** LedgerItems.SHARDS: the broadcast's totals are spread over this many items. */
    private static final int SHARDS = 16;

    /** us-east-1 on demand, since November 2024: dollars per million write and read request units. */
    private static final double WRU_DOLLARS = 0.625;
    private static final double RRU_DOLLARS = 0.125;
    /** A broadcast that moves no count for this long has stopped: the benchmark fails rather than waits an hour. */
    private static final Duration STALLED = Duration.ofMinutes(Integer.getInteger("bench.stalled-minutes", 5));

    record Run(int recipients, double wallSeconds, int[] sentPerWorker, double cpuSeconds, double peakRssMb,
            int duplicates, int missing, long unknown, int invocations, int failedInvocations, long writes, double wru,
            long reads, double rru, long refused, Map<String, DynamoCounter.Tally> byOperation) {
    }

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
        config.put("quarkus.funqy.export", "deliver");
        config.put("quarkus.http.host-enabled", "false");

        List<String> lines = new ArrayList<>();
        lines.add("| recipients | run | wall s | sends/s, all workers | sends/s per worker (min–max) | CPU ms per recipient, all workers "
                + "| peak RSS MB, largest worker | duplicates | missing | UNKNOWN | invocations (failed) "
                + "| DynamoDB writes per recipient | WRU per recipient | RRU per recipient | refused writes | DynamoDB $ per million recipients |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> operations = new ArrayList<>();
        try {
            for (int size : SIZES) {
                for (int run = 1; run <= RUNS; run++) {
                    counter.reset();
                    Run result = run(size, run, appid, config, wechat, counter);
                    lines.add(line(result, run));
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
        }
        System.out.println("== broadcast benchmark: " + WORKERS + " workers, "
                + (MEMORY_MB > 0 ? "each at the CPU share of " + MEMORY_MB + " MB" : "no CPU share") + ", WeChat answering after "
                + LATENCY_MS + " ms, " + FUNCTION);
        lines.forEach(System.out::println);
        System.out.println();
        System.out.println("DynamoDB by operation, as DynamoDB Local reported its consumed capacity (refused: answered other than 200)");
        System.out.println("| recipients | run | operation | calls | capacity units | refused |");
        System.out.println("|---|---|---|---|---|---|");
        operations.forEach(System.out::println);
    }

    private Run run(int size, int run, String appid, Map<String, String> config, WireMockServer wechat, DynamoCounter counter)
            throws Exception {
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
        List<Thread> pollers = new ArrayList<>();
        for (Sandbox sandbox : sandboxes) {
            Thread poller = new Thread(() -> poll(sandbox, stop, invocations, failedInvocations), "poller");
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
        Map<String, Long> counts = awaitCounted(source, size);
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
        return new Run(size, wall, sent, cpu, rss, duplicates, missing, unknown, invocations.get(), failedInvocations.get(),
                counter.writeCalls(), counter.writeUnits(), counter.readCalls(), counter.readUnits(),
                counter.byOperation().values().stream().mapToLong(DynamoCounter.Tally::refused).sum(), counter.byOperation());
    }

    /** Lambda's event source mapping for one sandbox: ten messages a batch, failures left for redelivery. */
    private static void poll(Sandbox sandbox, AtomicBoolean stop, AtomicInteger invocations, AtomicInteger failed) {
        while (!stop.get()) {
            List<Message> batch = StandIns.sqs().receiveMessage(r -> r.queueUrl(StandIns.queueUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                continue;
            }
            invocations.incrementAndGet();
            try {
                EventSourceMapping.invoke(batch, true, event -> sandbox.invoke(event, FUNCTION_TIMEOUT));
            } catch (IllegalStateException e) {
                // A failed invocation deletes nothing: its messages come back after the visibility timeout.
                failed.incrementAndGet();
            }
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

    /**
     * Polls the broadcast until its counts reach its total: every recipient settled. The counts are
     * the record's own (INVALID, REPEAT) and its totals shards' ({@code id#t0}…), as
     * {@code GET /broadcasts/{id}} adds them.
     */
    private static Map<String, Long> awaitCounted(String source, int size) throws InterruptedException {
        long lastMove = System.nanoTime();
        long lastSum = -1;
        while (System.nanoTime() - lastMove < STALLED.toNanos()) {
            for (Map<String, AttributeValue> item : StandIns.dynamo().scan(r -> r.tableName(StandIns.BROADCAST_TABLE)
                    .filterExpression("#source = :source").expressionAttributeNames(Map.of("#source", "source"))
                    .expressionAttributeValues(Map.of(":source", AttributeValue.fromS(source)))).items()) {
                Map<String, Long> counts = new HashMap<>();
                addCounts(item, counts);
                String id = item.get("id").s();
                for (int shard = 0; shard < SHARDS; shard++) {
                    String shardId = id + "#t" + shard;
                    addCounts(StandIns.dynamo().getItem(r -> r.tableName(StandIns.BROADCAST_TABLE)
                            .key(Map.of("id", AttributeValue.fromS(shardId)))).item(), counts);
                }
                long total = Long.parseLong(item.get("total").n());
                long sum = counts.values().stream().mapToLong(Long::longValue).sum();
                if (total == size && sum >= total) {
                    return counts;
                }
                if (sum != lastSum) {
                    lastSum = sum;
                    lastMove = System.nanoTime();
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the broadcast of " + size + " stopped: no count moved for " + STALLED + " (at " + lastSum + ")");
    }

    private static void addCounts(Map<String, AttributeValue> item, Map<String, Long> counts) {
        item.forEach((name, value) -> {
            if (name.startsWith("n_")) {
                counts.merge(name.substring(2), Long.valueOf(value.n()), Long::sum);
            }
        });
    }

    private static String recipients(int n) {
        StringBuilder lines = new StringBuilder();
        for (int line = 1; line <= n; line++) {
            lines.append("{\"touser\":\"").append(Messages.openid(line)).append("\",\"data\":{\"keyword1\":{\"value\":\"prize ")
                    .append(line).append("\"}}}\n");
        }
        return lines.toString();
    }

    private static String line(Run r, int run) {
        int min = Arrays.stream(r.sentPerWorker()).min().orElse(0);
        int max = Arrays.stream(r.sentPerWorker()).max().orElse(0);
        double median = Arrays.stream(r.sentPerWorker()).sorted().skip((r.sentPerWorker().length - 1) / 2).findFirst().orElse(0);
        double n = r.recipients();
        double dollars = (r.wru() * WRU_DOLLARS + r.rru() * RRU_DOLLARS) / n;
        return String.format("| %,d | %d | %.1f | %.0f | %.0f (%.0f–%.0f) | %.2f | %.1f | %d | %d | %d | %d (%d) | %.3f | %.3f | %.3f | %d | %.3f |",
                r.recipients(), run, r.wallSeconds(), n / r.wallSeconds(), median / r.wallSeconds(), min / r.wallSeconds(),
                max / r.wallSeconds(), r.cpuSeconds() * 1000 / n, r.peakRssMb(), r.duplicates(), r.missing(), r.unknown(),
                r.invocations(), r.failedInvocations(), r.writes() / n, r.wru() / n, r.rru() / n, r.refused(), dollars);
    }
}
