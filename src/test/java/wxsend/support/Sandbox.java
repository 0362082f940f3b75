package wxsend.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * One Lambda sandbox: the function's process, and a stand-in for the Lambda Runtime API it polls
 * (AWS's documented paths: /2018-06-01/runtime/invocation/next, …/{id}/response, …/{id}/error,
 * /runtime/init/error), on a loopback port of its own. Lambda hands a sandbox one event at a time,
 * and so does this. The process's CPU time and peak RSS are read from /proc while it runs.
 */
public final class Sandbox implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    private record Event(String id, String body, long deadline) {
    }

    private final BlockingQueue<Event> next = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpServer server;
    private final Process process;
    private volatile String initError;

    /** Starts {@code command} with AWS_LAMBDA_RUNTIME_API pointing at this stand-in; its output goes to {@code log}. */
    public Sandbox(List<String> command, Map<String, String> environment, Path log) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext(PREFIX, this::handle);
            server.setExecutor(threads);
            server.start();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + server.getAddress().getPort());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("the sandbox did not start", e);
        }
    }

    /** Hands {@code event} to the function and waits for its answer; an error answer or a timeout throws. */
    public String invoke(String event, Duration timeout) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(id, answer);
        next.add(new Event(id, event, System.currentTimeMillis() + timeout.toMillis()));
        try {
            // Lambda would stop the sandbox at its deadline; a little slack tells a late answer from none.
            return answer.get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout + (initError == null ? "" : "; init error: " + initError));
        } catch (Exception e) {
            throw new IllegalStateException("the invocation failed: " + e.getMessage(), e);
        } finally {
            answers.remove(id);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** User and system CPU seconds the process has used so far (/proc/PID/stat, in clock ticks of 1/100 s). */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Peak resident set size in MB (VmHWM of /proc/PID/status). */
    public double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            throw new IllegalStateException("no VmHWM for " + process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("invocation/next")) {
                Event event = next.take();
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", event.id());
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(event.deadline()));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:wxsend-deliver");
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                send(exchange, 200, event.body());
                return;
            }
            if (path.equals("init/error")) {
                initError = body;
            } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(path, "/response", body, false);
            } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
                complete(path, "/error", body, true);
            } else {
                send(exchange, 404, "{}");
                return;
            }
            send(exchange, 202, "{\"status\":\"OK\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void complete(String path, String suffix, String body, boolean error) {
        String id = path.substring("invocation/".length(), path.length() - suffix.length());
        CompletableFuture<String> answer = answers.get(id);
        if (answer != null) {
            if (error) {
                answer.completeExceptionally(new IllegalStateException(body));
            } else {
                answer.complete(body);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
