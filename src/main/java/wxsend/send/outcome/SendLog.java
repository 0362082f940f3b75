package wxsend.send.outcome;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import wxsend.metrics.Metrics;

/**
 * One log line and one metric line per message. The fields go into the MDC for the line's
 * duration, so the JSON log format carries them as fields; the recipient only ever masked.
 */
@ApplicationScoped
public class SendLog {

    /** Where Quarkus's Lambda poll loop keeps the invocation's request id, on the invoking thread. */
    static final String LAMBDA_REQUEST_ID = "AWSRequestId";
    /**
     * The send line's category, as it always was: the service's, named here rather than imported,
     * since an outcome knows nothing of the service above it.
     */
    private static final Logger LOG = Logger.getLogger("wxsend.send.SendService");

    private final Metrics metrics;

    SendLog(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The request id must be read on the invoking thread: the MDC does not follow async hops. */
    public static String requestId() {
        Object id = MDC.get(LAMBDA_REQUEST_ID);
        return id == null ? "-" : id.toString();
    }

    public void record(String requestId, SendOutcome outcome, String touser, long started) {
        record(SendLine.of(requestId, outcome, touser, started, System.currentTimeMillis()));
    }

    void record(SendLine line) {
        String app = line.app() == null ? "-" : line.app();
        String errcode = line.errcode() == null ? "-" : line.errcode().toString();
        String via = line.via() == null ? "-" : line.via();
        String[][] fields = { { "requestId", line.requestId() }, { "app", app }, { "to", line.to() },
                { "status", line.status().name() }, { "via", via }, { "errcode", errcode },
                { "attempts", Integer.toString(line.attempts()) }, { "latencyMs", Long.toString(line.latencyMs()) },
                { "replayed", Boolean.toString(line.replayed()) } };
        for (String[] field : fields) {
            MDC.put(field[0], field[1]);
        }
        try {
            LOG.infof("send requestId=%s app=%s to=%s status=%s via=%s errcode=%s attempts=%d latencyMs=%d%s", line.requestId(),
                    app, line.to(), line.status(), via, errcode, line.attempts(), line.latencyMs(),
                    line.replayed() ? " replayed" : "");
        } finally {
            for (String[] field : fields) {
                MDC.remove(field[0]);
            }
        }
        metrics.send(line.app(), line.status().name(), line.errcode(), line.attempts(), line.latencyMs(), line.replayed());
    }
}
