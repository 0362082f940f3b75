package wxsend.send;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import wxsend.config.Apps;
import wxsend.send.delivery.Budget;
import wxsend.send.delivery.Hashes;
import wxsend.send.delivery.Job;
import wxsend.send.outcome.FieldError;
import wxsend.send.outcome.SendLog;
import wxsend.send.outcome.SendOutcome;
import wxsend.send.request.KeyHint;
import wxsend.send.request.Keys;
import wxsend.send.request.RequestReader;
import wxsend.send.request.SendRequest;

/** Validates a request, picks its app and idempotency key, and sends it once, or shows what would be posted. */
@ApplicationScoped
public class SendService {

    private final Apps apps;
    private final Sender sender;
    private final Hashes hashes;
    private final Budget budget;
    private final SendLog log;
    private final ObjectMapper json;

    SendService(Apps apps, Sender sender, Hashes hashes, Budget budget, SendLog log, ObjectMapper json) {
        this.apps = apps;
        this.sender = sender;
        this.hashes = hashes;
        this.budget = budget;
        this.log = log;
        this.json = json;
    }

    public Uni<SendOutcome> send(JsonNode input) {
        return send(input, KeyHint.none());
    }

    public Uni<SendOutcome> send(JsonNode input, KeyHint hint) {
        long started = System.currentTimeMillis();
        String requestId = SendLog.requestId();
        RequestReader.Result read = RequestReader.read(input);
        if (read instanceof RequestReader.Invalid invalid) {
            return done(SendOutcome.invalid(invalid.errors()), requestId, null, started);
        }
        SendRequest request = ((RequestReader.Valid) read).request();
        String touser = request.message().touser();
        // The app is checked before anything else, dry runs included: a dry run says what a send would do.
        String app;
        try {
            app = apps.pick(request.app());
        } catch (IllegalArgumentException e) {
            return done(SendOutcome.invalid(List.of(new FieldError("app", e.getMessage()))), requestId, touser, started);
        }
        // No retry starts unless a whole call still fits in the budget.
        Job job = new Job(app, request.message(), null, false, requestId, budget.lastStart(started), started,
                request.officialAccountOpenid());
        Keys.Choice key = Keys.choose(hint, request.idempotencyKey(), request.deduplicate(), () -> hashes.of(app, job.content()));
        if (key instanceof Keys.Wrong wrong) {
            return done(SendOutcome.invalid(List.of(wrong.error())), requestId, touser, started);
        }
        if (request.dryRun()) {
            return done(SendOutcome.dryRun(app, request.message().api().endpoint(), json.valueToTree(request.message())),
                    requestId, touser, started);
        }
        Keys.Chosen chosen = ((Keys.Ok) key).chosen();
        return sender.send(job.withKey(chosen.key(), chosen.derived()));
    }

    /** For an entry point that refuses an event before there is a request to read. */
    public SendOutcome refuse(String field, String message) {
        SendOutcome outcome = SendOutcome.invalid(List.of(new FieldError(field, message)));
        log.record(SendLog.requestId(), outcome, null, System.currentTimeMillis());
        return outcome;
    }

    private Uni<SendOutcome> done(SendOutcome outcome, String requestId, String touser, long started) {
        log.record(requestId, outcome, touser, started);
        return Uni.createFrom().item(outcome);
    }
}
