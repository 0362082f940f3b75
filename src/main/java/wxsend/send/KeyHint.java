package wxsend.send;

import java.util.Optional;

/**
 * An idempotency key from outside the request body. A header must agree with a key in the body;
 * an event id (EventBridge's) stands in only when the body names none.
 */
public record KeyHint(Optional<String> value, String field, boolean mustAgree) {

    public static KeyHint none() {
        return new KeyHint(Optional.empty(), null, false);
    }

    public static KeyHint header(String value) {
        return new KeyHint(Optional.ofNullable(value), "Idempotency-Key", true);
    }

    public static KeyHint eventId(String value) {
        return new KeyHint(Optional.ofNullable(value), "id", false);
    }

    /** The key to use, or a field error. */
    KeyChoice choose(Optional<String> inBody) {
        if (value.isPresent() && !Rules.IDEMPOTENCY_KEY.matches(value.get())) {
            return new KeyChoice(Optional.empty(), new FieldError(field, "must be 1 to 128 printable ASCII characters, no spaces"));
        }
        if (mustAgree && value.isPresent() && inBody.isPresent() && !value.equals(inBody)) {
            return new KeyChoice(Optional.empty(), new FieldError("idempotencyKey", "differs from the " + field + " header"));
        }
        return new KeyChoice(inBody.isPresent() ? inBody : value, null);
    }

    record KeyChoice(Optional<String> key, FieldError error) {
    }
}
