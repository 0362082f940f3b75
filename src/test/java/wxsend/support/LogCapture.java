package wxsend.support;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.jboss.logmanager.ExtLogRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Everything the application logs, as text, message and stack traces included. The stand-ins'
 * own loggers are left out: WireMock quoting the URLs it receives is not the application logging them.
 * Against the packaged application (integration tests) the lines come from its output file instead,
 * in the production format: JSON log records and bare metric lines.
 */
public final class LogCapture extends Handler {

    private static final List<String> STAND_INS = List.of("com.github.tomakehurst", "wiremock", "org.eclipse.jetty",
            "com.amazonaws.services.dynamodbv2", "com.almworks", "org.apache.logging");
    private static final LogCapture INSTANCE = new LogCapture();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> sendFields = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    /** Set by the failsafe configuration: where @QuarkusIntegrationTest sends the application's output. */
    private static final String APP_LOG = System.getProperty("wxsend.app.log");

    /** On the root logger, and on standard output, where the metric lines go. */
    public static synchronized LogCapture install() {
        Logger root = Logger.getLogger("");
        if (!List.of(root.getHandlers()).contains(INSTANCE)) {
            root.addHandler(INSTANCE);
        }
        if (!(System.out instanceof Tap)) {
            System.setOut(new Tap(System.out, INSTANCE.stdout));
        }
        return INSTANCE;
    }

    /** Standard output, passed through, with each whole line also kept. */
    private static final class Tap extends PrintStream {
        Tap(PrintStream original, List<String> lines) {
            super(new OutputStream() {
                private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

                @Override
                public synchronized void write(int b) {
                    original.write(b);
                    if (b == '\n') {
                        lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }

                @Override
                public void flush() {
                    original.flush();
                }
            }, true, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void publish(LogRecord record) {
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        if (STAND_INS.stream().anyMatch(logger::startsWith)) {
            return;
        }
        StringBuilder text = new StringBuilder(logger).append(' ').append(formatter.formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        lines.add(text.toString());
        if (record.getLevel().intValue() >= Level.SEVERE.intValue() || record.getThrown() != null) {
            problems.add(text.toString());
        }
        if (record instanceof ExtLogRecord ext && ext.getMdcCopy().containsKey("status")) {
            Map<String, String> fields = new HashMap<>();
            ext.getMdcCopy().forEach((k, v) -> fields.put(k, String.valueOf(v)));
            sendFields.add(fields);
        }
    }

    /** Records at error level or carrying an exception: a malformed request must cause none. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        for (String line : appLog()) {
            JsonNode record = parse(line);
            if (record != null && record.has("level") && (Set.of("ERROR", "FATAL").contains(record.get("level").asText())
                    || record.has("exception") || record.has("stackTrace"))) {
                all.add(line);
            }
        }
        return all;
    }

    /** The structured fields of each per-send line, as the JSON log format prints them. */
    public List<Map<String, String>> sendFields() {
        List<Map<String, String>> all = new ArrayList<>(sendFields);
        for (String line : appLog()) {
            JsonNode record = parse(line);
            if (record != null && record.path("mdc").has("status")) {
                Map<String, String> fields = new HashMap<>();
                record.get("mdc").fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
                all.add(fields);
            }
        }
        return all;
    }

    /** The Embedded Metric Format lines on standard output, parsed: bare JSON objects with "_aws". */
    public List<JsonNode> metrics() {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : stdout) {
            if (line.startsWith("{\"_aws\"")) {
                JsonNode metric = parse(line);
                if (metric == null) {
                    throw new AssertionError("a metric line is not JSON: " + line);
                }
                parsed.add(metric);
            }
        }
        return parsed;
    }

    private static List<String> appLog() {
        if (APP_LOG == null || !Files.exists(Path.of(APP_LOG))) {
            return List.of();
        }
        try {
            return Files.readAllLines(Path.of(APP_LOG), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String text() {
        return String.join("\n", lines) + "\n" + String.join("\n", appLog());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
