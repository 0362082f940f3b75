package wxsend.send;

import java.util.List;
import java.util.Optional;

/**
 * One message on its way: which app sends it, under which idempotency key, for which request,
 * and by when it must be done.
 *
 * @param key the caller's key (or one derived from the request) before it is scoped to the app
 * @param retryUntil epoch millis after which no call starts
 * @param officialAccountOpenid the recipient's openid for mp_template_msg's official account, if known
 */
record Job(String app, Message message, String key, String requestId, long retryUntil, long started,
        Optional<String> officialAccountOpenid) {

    Job withKey(String idempotencyKey) {
        return new Job(app, message, idempotencyKey, requestId, retryUntil, started, officialAccountOpenid);
    }

    /** The key as the idempotency table holds it: scoped to the app, so two apps never share one. */
    String recordId() {
        return app + "#" + key;
    }

    /** What identifies the request for its idempotency hash. */
    Object content() {
        return officialAccountOpenid.isEmpty() ? message : List.of(message, officialAccountOpenid.get());
    }
}
