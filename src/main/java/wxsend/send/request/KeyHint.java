package wxsend.send.request;

import java.util.Optional;
import java.util.UUID;

import wxsend.send.outcome.FieldError;

/**
 * Where a request's idempotency key comes from, by entry point: a key from outside the body (a
 * header, which must agree with a key in the body, or an event id, which stands in only when the
 * body names none), whether a request without any key is de-duplicated by its content, and the key
 * made for an HTTP request that names none ({@code fresh}).
 * <ul>
 * <li>HTTP: the Idempotency-Key header or the body's key; without one, a key made for the request
 * ({@code req-} and a UUID), recorded as a caller's key and named in every answer, so the retry that
 * ordinary middleware makes of a 503 or 504 can send it back and is answered from the record
 * instead of sending again. Each request without a key is still a send of its own.</li>
 * <li>Queue messages: the body's key, else the SQS message id.</li>
 * <li>Direct and scheduled invocations: the body's key or the event's id; without one, a key
 * derived from the content, kept only for IDEMPOTENCY_AUTO_KEY_WINDOW, so Lambda's own retries
 * and redeliveries send once while a later, identical message still goes out.</li>
 * </ul>
 *
 * @param fresh the key an HTTP request without one runs under; null for the other entry points
 */
public record KeyHint(Optional<String> value, String field, boolean mustAgree, boolean contentKey, String fresh) {

    /** A direct invocation: the body's key, else one derived from the content. */
    public static KeyHint none() {
        return new KeyHint(Optional.empty(), null, false, true, null);
    }

    /**
     * HTTP: the header (absent when null) or the body's key; without either, {@code fresh}, unless
     * the request says {@code "deduplicate": false}.
     */
    public static KeyHint header(String value) {
        return new KeyHint(Optional.ofNullable(value), "Idempotency-Key", true, false, "req-" + UUID.randomUUID());
    }

    /** An EventBridge event: the body's key, else the event's id, else one derived from the content. */
    public static KeyHint eventId(String value) {
        return new KeyHint(Optional.ofNullable(value), "id", false, true, null);
    }

    /** A queue message: the body's key, else the SQS message id, which a redelivery repeats. */
    public static KeyHint queueMessage(String messageId) {
        return new KeyHint(Optional.ofNullable(messageId), "messageId", false, true, null);
    }

    /**
     * The key a request runs under, by the rules of {@code Keys}, for an answer made where the
     * request was not read (a defect's 500): empty if it runs under none.
     */
    public Optional<String> runsUnder(Optional<String> inBody, boolean deduplicate) {
        Optional<String> named = value.isPresent() ? value : inBody;
        return named.isPresent() || !deduplicate || contentKey ? named : Optional.of(fresh);
    }

    /** The key to use, or a field error. */
    public KeyChoice choose(Optional<String> inBody) {
        if (value.isPresent() && !Rules.IDEMPOTENCY_KEY.matches(value.get())) {
            return new KeyChoice(Optional.empty(), new FieldError(field, "must be 1 to 128 printable ASCII characters, no spaces"));
        }
        if (mustAgree && value.isPresent() && inBody.isPresent() && !value.equals(inBody)) {
            return new KeyChoice(Optional.empty(), new FieldError("idempotencyKey", "differs from the " + field + " header"));
        }
        return new KeyChoice(inBody.isPresent() ? inBody : value, null);
    }

    /** @param error null when the key (or its absence) is fine */
    public record KeyChoice(Optional<String> key, FieldError error) {
    }
}
