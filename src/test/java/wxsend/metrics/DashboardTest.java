package wxsend.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import wxsend.send.outcome.Status;

/**
 * The dashboard and alarms in template.yaml watch only metrics the code emits: each metric they
 * name, with its exact dimension set and values (CloudWatch matches a series by all of its
 * dimensions, so a metric named with one dimension too few or too many shows nothing).
 */
@Tag("unit")
class DashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every series the code can emit: "Metric{dimension=value, …}", from its own EMF lines. */
    private static Set<String> emitted() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Metrics metrics = new Metrics(JSON);
            for (Status status : Status.values()) {
                metrics.send("wx0000000000000001", status.name(), 45009, 2, 10, false);
                metrics.send("wx0000000000000001", status.name(), null, 1, 10, true);
            }
            for (String outcome : List.of("sent", "requeued", "paused", "retried")) {
                metrics.broadcastChunk("wx0000000000000001", "bc-1", outcome, Map.of("SENT", 1L), 1);
            }
            metrics.broadcastChunk("wx0000000000000001", "bc-1", "cancelled", Map.of("CANCELLED", 1L), 0);
            for (wxsend.send.message.Api api : wxsend.send.message.Api.values()) {
                metrics.quota("wx0000000000000001", api.label(), 100_000, 10, 99_990);
            }
            for (String mode : List.of("stable", "force", "legacy")) {
                metrics.tokenFetch("wx0000000000000001", mode, true);
                metrics.tokenFetch("wx0000000000000001", mode, false);
            }
        } finally {
            System.setOut(original);
        }
        Set<String> series = new HashSet<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode record = JSON.readTree(line);
            JsonNode directive = record.at("/_aws/CloudWatchMetrics/0");
            assertEquals("wxsend", directive.get("Namespace").asText());
            for (JsonNode set : directive.get("Dimensions")) {
                Map<String, String> dimensions = new TreeMap<>();
                set.forEach(name -> dimensions.put(name.asText(), record.get(name.asText()).asText()));
                directive.get("Metrics").forEach(metric -> series.add(metric.get("Name").asText() + dimensions));
            }
        }
        return series;
    }

    private static JsonNode template() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(new File("template.yaml"));
    }

    @Test
    void everyWxsendSeriesOnTheDashboardIsOneTheCodeEmits() throws Exception {
        Set<String> emitted = emitted();
        // Fn::Sub's ${…} stand for names only AWS knows; the body must be JSON once they are filled in.
        String body = template().at("/Resources/Dashboard/Properties/DashboardBody/Fn::Sub").asText()
                .replaceAll("\\$\\{[^}]+}", "x");
        JsonNode widgets = JSON.readTree(body).get("widgets");
        List<String> named = new ArrayList<>();
        int searches = 0;
        for (JsonNode widget : widgets) {
            for (JsonNode metric : widget.at("/properties/metrics")) {
                if (metric.get(0).isObject()) {
                    String expression = metric.get(0).get("expression").asText();
                    if (expression.contains("SEARCH(")) {
                        searches++;
                        // SEARCH('{namespace,dimension,…} MetricName="…"'): that metric with exactly those dimensions.
                        java.util.regex.Matcher m = java.util.regex.Pattern
                                .compile("\\{wxsend,([A-Za-z,]+)} MetricName=\"(\\w+)\"").matcher(expression);
                        assertTrue(m.find(), expression);
                        String prefix = java.util.regex.Pattern.quote(m.group(2) + "{") + java.util.Arrays.stream(m.group(1).split(","))
                                .sorted().map(d -> d + "=[^,}]+").collect(java.util.stream.Collectors.joining(", ")) + "}";
                        assertTrue(emitted.stream().anyMatch(s -> s.matches(prefix)), expression + " finds nothing emitted");
                    }
                    continue;
                }
                if (!metric.get(0).asText().equals("wxsend")) {
                    continue;
                }
                Map<String, String> dimensions = new TreeMap<>();
                int last = metric.get(metric.size() - 1).isObject() ? metric.size() - 1 : metric.size();
                for (int i = 2; i + 1 < last; i += 2) {
                    dimensions.put(metric.get(i).asText(), metric.get(i + 1).asText());
                }
                named.add(metric.get(1).asText() + dimensions);
            }
        }
        assertEquals(2, searches, "the top-errcodes and quota widgets");
        assertTrue(named.size() >= 20, named::toString);
        for (String series : named) {
            assertTrue(emitted.contains(series), series + " is on the dashboard but never emitted; emitted: " + emitted);
        }
    }

    @Test
    void everyAlarmOnAWxsendMetricWatchesASeriesTheCodeEmitsAndNotifiesTheTopic() throws Exception {
        Set<String> emitted = emitted();
        JsonNode resources = template().get("Resources");
        int alarms = 0;
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) resources::fields) {
            JsonNode alarm = entry.getValue();
            if (!alarm.get("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                continue;
            }
            alarms++;
            assertEquals("WithAlarms", alarm.get("Condition").asText(), entry.getKey() + " only with AlarmTopicArn");
            JsonNode properties = alarm.get("Properties");
            assertEquals("AlarmTopicArn", properties.at("/AlarmActions/0/Ref").asText(), entry.getKey());
            List<JsonNode> metrics = new ArrayList<>();
            if (properties.has("MetricName")) {
                metrics.add(properties);
            }
            properties.path("Metrics").forEach(m -> {
                if (m.has("MetricStat")) {
                    metrics.add(m.at("/MetricStat/Metric"));
                }
            });
            assertTrue(!metrics.isEmpty(), entry.getKey());
            for (JsonNode metric : metrics) {
                if (!metric.get("Namespace").asText().equals("wxsend")) {
                    continue;
                }
                // A value given by a parameter (the app, the API) matches any emitted value.
                Map<String, String> dimensions = new TreeMap<>();
                metric.get("Dimensions").forEach(d -> dimensions.put(d.get("Name").asText(),
                        d.get("Value").isTextual() ? java.util.regex.Pattern.quote(d.get("Value").asText()) : "[^,}]+"));
                String series = java.util.regex.Pattern.quote(metric.get("MetricName").asText() + "{") + dimensions.entrySet()
                        .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", ")) + "}";
                assertTrue(emitted.stream().anyMatch(s -> s.matches(series)), entry.getKey() + " watches " + series
                        + ", which is never emitted");
            }
        }
        assertEquals(4, alarms);
    }
}
