package wxsend.metrics;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CloudWatch Embedded Metric Format: one JSON object per line on standard output, which
 * CloudWatch Logs turns into metrics with no API call. The lines go to standard output directly,
 * not through logging: quarkus-logging-json formats every console handler, named ones too, and
 * a metric wrapped in a log record's "message" is not recognised.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
@ApplicationScoped
public class Metrics {

    static final String NAMESPACE = "wxsend";

    private final ObjectMapper json;

    Metrics(ObjectMapper json) {
        this.json = json;
    }

    /**
     * One message's end: counted by status, and by status and errcode. A replay (a duplicate answered
     * with a stored result) is counted as Replays, not Sends: nothing went to WeChat, so Sends and
     * Attempts add up to what WeChat received.
     */
    public void send(String app, String status, Integer errcode, int attempts, long latencyMs, boolean replayed) {
        if (replayed) {
            emit(new String[][] { { "Status" } }, Map.of("Status", status), Map.of("Replays", 1L), Map.of(), app);
            return;
        }
        int retries = Math.max(0, attempts - 1);
        emit(new String[][] { { "Status" }, { "Status", "Errcode" } },
                Map.of("Status", status, "Errcode", errcode == null ? "none" : errcode.toString()),
                Map.of("Sends", 1L, "Attempts", (long) attempts, "Retries", (long) retries, "SendLatency", latencyMs),
                Map.of("SendLatency", "Milliseconds"), app);
    }

    /**
     * A broadcast's chunk settled: its recipients by final status, and those sent back to the
     * queue (Outcome requeued, paused) or dropped (cancelled). The broadcast's id is a property,
     * not a dimension, so a thousand broadcasts are not a thousand metric series.
     */
    public void broadcastChunk(String app, String broadcast, String outcome, Map<String, Long> counts, long requeued) {
        Map<String, Long> values = new java.util.TreeMap<>();
        counts.forEach((status, n) -> values.put("Recipients" + status, n));
        values.put("RecipientsRequeued", requeued);
        values.put("Chunks", 1L);
        emit(new String[][] { { "Outcome" } }, Map.of("Outcome", outcome), values, Map.of(), app, Map.of("broadcast", broadcast));
    }

    /**
     * One message API's daily quota for one app (openapi/quota/get). By App and Api: a quota is an
     * app's, and an alarm watches one app's API; a few apps make a few series.
     */
    public void quota(String app, String api, long dailyLimit, long used, long remain) {
        emit(new String[][] { { "App", "Api" } }, Map.of("App", app, "Api", api),
                Map.of("QuotaDailyLimit", dailyLimit, "QuotaUsed", used, "QuotaRemaining", remain), Map.of(), app);
    }

    /** One call to WeChat's token endpoint. */
    public void tokenFetch(String app, String mode, boolean ok) {
        emit(new String[][] { { "Mode", "Outcome" } }, Map.of("Mode", mode, "Outcome", ok ? "ok" : "failed"),
                Map.of("TokenFetches", 1L), Map.of(), app);
    }

    private void emit(String[][] dimensionSets, Map<String, String> dimensions, Map<String, Long> values,
            Map<String, String> units, String app) {
        emit(dimensionSets, dimensions, values, units, app, Map.of());
    }

    private void emit(String[][] dimensionSets, Map<String, String> dimensions, Map<String, Long> values,
            Map<String, String> units, String app, Map<String, String> properties) {
        ObjectNode line = json.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode sets = directive.putArray("Dimensions");
        for (String[] set : dimensionSets) {
            ArrayNode names = sets.addArray();
            for (String name : set) {
                names.add(name);
            }
        }
        ArrayNode metrics = directive.putArray("Metrics");
        values.keySet().stream().sorted().forEach(name -> metrics.addObject().put("Name", name)
                .put("Unit", units.getOrDefault(name, "Count")));
        dimensions.forEach(line::put);
        values.forEach(line::put);
        // A property, not a dimension: searchable in Logs Insights without multiplying metric series.
        line.put("app", app == null ? "-" : app);
        properties.forEach(line::put);
        // One write per line, so a concurrent log record cannot split it; read System.out each time,
        // as whoever captures standard output may have replaced it.
        System.out.print(line.toString() + "\n");
    }
}
