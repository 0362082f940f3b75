package wxsend.entry;

import java.util.HashMap;
import java.util.Map;

/** What both HTTP surfaces answer: a status, a JSON body, and any extra headers. */
record HttpAnswer(int status, String body, Map<String, String> headers) {

    static final String JSON = "application/json";

    /** The header that names the key a send ran under, as the body's idempotencyKey does. */
    static final String KEY = "idempotency-key";

    HttpAnswer(int status, String body) {
        this(status, body, Map.of());
    }

    /**
     * With the request's idempotency key in a header too, where retry middleware that knows the
     * IETF Idempotency-Key draft looks for it; unchanged when there is none.
     */
    HttpAnswer withKey(String key) {
        if (key == null) {
            return this;
        }
        Map<String, String> all = new HashMap<>(headers);
        all.put(KEY, key);
        return new HttpAnswer(status, body, Map.copyOf(all));
    }
}
