package wxsend.send;

import java.util.Optional;

/**
 * Where a request's idempotency key comes from, by entry point: a key from outside the body (a
 * header, which must agree with a key in the body, or an event id, which stands in only when the
 * body names none), and whether a request without any key is de-duplicated by its content.
 * <ul>
 * <li>HTTP: the Idempotency-Key header or the body's key; without one, each request sends, as
 * HTTP callers expect (the IETF Idempotency-Key draft, Stripe).</li>
 * <li>Queue messages: the body's key, else the SQS message id.</li>
 * <li>Direct and scheduled invocations: the body's key or the event's id; without one, a key
 * derived from the content, kept only for IDEMPOTENCY_AUTO_KEY_WINDOW, so Lambda's own retries
 * and redeliveries send once while a later, identical message still goes out.</li>
 * </ul>
 */
public record KeyHint(Optional<String> value, String field, boolean mustAgree, boolean contentKey) {

    /** A direct invocation: the body's key, else one derived from the content. */
    public static KeyHint none() {
        return new KeyHint(Optional.empty(), null, false, true);
    }

    /** HTTP: the header (absent when null) or the body's key; without either, no de-duplication. */
    public static KeyHint header(String value) {
        return new KeyHint(Optional.ofNullable(value), "Idempotency-Key", true, false);
    }

    /** An EventBridge event: the body's key, else the event's id, else one derived from the content. */
    public static KeyHint eventId(String value) {
        return new KeyHint(Optional.ofNullable(value), "id", false, true);
    }

    /** A queue message: the body's key, else the SQS message id, which a redelivery repeats. */
    public static KeyHint queueMessage(String messageId) {
        return new KeyHint(Optional.ofNullable(messageId), "messageId", false, true);
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
