package wxsend.send.outcome;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A settled verdict as the idempotency table keeps it, for as long as the TTL: its own format,
 * apart from the answer's, so that renaming a {@link Status} or an answer field cannot make a
 * stored record unreadable. {@code v} is the format; records written before it existed (the
 * answer itself, without {@code v}) read as format 0, which has the same fields.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredResult(int v, String status, String app, String via, Integer errcode, String errmsg, Long msgid, int attempts,
        String reason) {

    static final int FORMAT = 1;

    /** The stored spelling of each status a record can hold: fixed, whatever the enum's names become. */
    private static final Map<Status, String> CODES = Map.of(Status.SENT, "SENT", Status.REJECTED, "REJECTED", Status.UNKNOWN,
            "UNKNOWN");

    public static String encode(ObjectMapper json, Verdict verdict) {
        String code = CODES.get(verdict.status());
        if (code == null) {
            throw new IllegalArgumentException("only settled verdicts are stored, not " + verdict.status());
        }
        try {
            return json.writeValueAsString(new StoredResult(FORMAT, code, verdict.app(), verdict.via(), verdict.errcode(),
                    verdict.errmsg(), verdict.msgid(), verdict.attempts(), verdict.reason()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a verdict", e);
        }
    }

    /** The verdict, or empty when the text is not a record this version can read. */
    public static Optional<Verdict> decode(ObjectMapper json, String stored) {
        StoredResult record;
        try {
            record = json.readerFor(StoredResult.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(stored);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (record == null || record.v() > FORMAT) {
            return Optional.empty();
        }
        return CODES.entrySet().stream().filter(entry -> entry.getValue().equals(record.status())).findFirst()
                .map(entry -> new Verdict(entry.getKey(), record.app(), record.via(), record.errcode(), record.errmsg(),
                        record.msgid(), record.attempts(), record.reason()));
    }
}
