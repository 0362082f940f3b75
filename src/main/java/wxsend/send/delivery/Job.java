package wxsend.send.delivery;

import java.util.List;
import java.util.Optional;

import wxsend.send.message.Message;

/**
 * One message on its way: which app sends it, under which idempotency key, for which request,
 * and by when it must be done.
 *
 * @param key the caller's key, or one derived from the request, before it is scoped to the app;
 *        null when this request is not de-duplicated (it said {@code "deduplicate": false} and named no key)
 * @param derivedKey the key was derived from the content, so it is kept only for the auto-key window
 * @param retryUntil epoch millis after which no call starts
 * @param officialAccountOpenid the recipient's openid for mp_template_msg's official account, if known
 * @param gate what must hold before the first post
 * @param resumed an earlier run of this send may have posted it: whatever this run gets, short of
 *        WeChat's own answer on the message, it may have arrived
 */
public record Job(String app, Message message, String key, boolean derivedKey, String requestId, long retryUntil, long started,
        Optional<String> officialAccountOpenid, Gate gate, boolean resumed) {

    public Job(String app, Message message, String key, boolean derivedKey, String requestId, long retryUntil, long started,
            Optional<String> officialAccountOpenid) {
        this(app, message, key, derivedKey, requestId, retryUntil, started, officialAccountOpenid, Gate.OPEN, false);
    }

    /** @param derived the key was derived from the content */
    public Job withKey(String chosenKey, boolean derived) {
        return new Job(app, message, chosenKey, derived, requestId, retryUntil, started, officialAccountOpenid, gate, resumed);
    }

    Job withRetryUntil(long until) {
        return new Job(app, message, key, derivedKey, requestId, until, started, officialAccountOpenid, gate, resumed);
    }

    public Job withGate(Gate before) {
        return new Job(app, message, key, derivedKey, requestId, retryUntil, started, officialAccountOpenid, before, resumed);
    }

    /** An earlier run of this send may have posted it. */
    Job asResumed() {
        return new Job(app, message, key, derivedKey, requestId, retryUntil, started, officialAccountOpenid, gate, true);
    }

    /** The key as the idempotency table holds it: scoped to the app, so two apps never share one. */
    public String recordId() {
        return app + "#" + key;
    }

    /** What identifies the request for its idempotency hash. */
    public Object content() {
        return officialAccountOpenid.isEmpty() ? message : List.of(message, officialAccountOpenid.get());
    }
}
