package wxsend.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class LogCapture extends Handler {

    private static final List<String> STAND_INS = List.of("com.github.tomakehurst", "wiremock", "org.eclipse.jetty",
            "com.amazonaws.services.dynamodbv2", "com.almworks", "org.apache.logging");
    private static final LogCapture INSTANCE = new LogCapture();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMF = "wxsend.emf";
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> sendFields = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    /** The root, and the metric logger, which keeps its lines from the root's handlers. */
    public static synchronized LogCapture install() {
        for (String name : List.of("", EMF)) {
            Logger logger = Logger.getLogger(name);
            if (!List.of(logger.getHandlers()).contains(INSTANCE)) {
                logger.addHandler(INSTANCE);
            }
        }
        return INSTANCE;
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
        return List.copyOf(problems);
    }

    /** The structured fields of each per-send line, as the JSON log format prints them. */
    public List<Map<String, String>> sendFields() {
        return List.copyOf(sendFields);
    }

    /** The Embedded Metric Format lines, parsed. */
    public List<JsonNode> metrics() {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(EMF + " ")) {
                try {
                    parsed.add(JSON.readTree(line.substring(EMF.length() + 1)));
                } catch (java.io.IOException e) {
                    throw new AssertionError("a metric line is not JSON: " + line, e);
                }
            }
        }
        return parsed;
    }

    public void clear() {
        lines.clear();
        problems.clear();
        sendFields.clear();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
