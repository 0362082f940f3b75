package wxsend.send;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import wxsend.metrics.Metrics;

/**
 * One log line and one metric line per message. The fields go into the MDC for the line's
 * duration, so the JSON log format carries them as fields; the recipient only ever masked.
 */
@ApplicationScoped
class SendLog {

    /** Where Quarkus's Lambda poll loop keeps the invocation's request id, on the invoking thread. */
    static final String LAMBDA_REQUEST_ID = "AWSRequestId";
    private static final Logger LOG = Logger.getLogger(SendService.class);

    private final Metrics metrics;

    SendLog(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The request id must be read on the invoking thread: the MDC does not follow async hops. */
    static String requestId() {
        Object id = MDC.get(LAMBDA_REQUEST_ID);
        return id == null ? "-" : id.toString();
    }

    void record(String requestId, SendOutcome outcome, String touser, long started) {
        long latency = System.currentTimeMillis() - started;
        String app = outcome.app() == null ? "-" : outcome.app();
        String to = touser == null ? "-" : Masking.openid(touser);
        String errcode = outcome.errcode() == null ? "-" : outcome.errcode().toString();
        String[][] fields = { { "requestId", requestId }, { "app", app }, { "to", to },
                { "status", outcome.status().name() }, { "via", outcome.via() == null ? "-" : outcome.via() },
                { "errcode", errcode },
                { "attempts", Integer.toString(outcome.attempts()) }, { "latencyMs", Long.toString(latency) },
                { "replayed", Boolean.toString(Boolean.TRUE.equals(outcome.replayed())) } };
        for (String[] field : fields) {
            MDC.put(field[0], field[1]);
        }
        try {
            LOG.infof("send requestId=%s app=%s to=%s status=%s via=%s errcode=%s attempts=%d latencyMs=%d%s", requestId, app,
                    to, outcome.status(), outcome.via() == null ? "-" : outcome.via(), errcode, outcome.attempts(), latency,
                    Boolean.TRUE.equals(outcome.replayed()) ? " replayed" : "");
        } finally {
            for (String[] field : fields) {
                MDC.remove(field[0]);
            }
        }
        metrics.send(outcome.app(), outcome.status().name(), outcome.errcode(), outcome.attempts(), latency);
    }
}
