package wxsend.send.request;

import java.util.Optional;

import wxsend.send.message.Message;

/**
 * A validated request: the message to post, which app sends it, whether to only show it, the
 * caller's idempotency key, if it gave one, whether a request without one is de-duplicated by
 * its content (where the entry point does that), and the recipient's official-account openid,
 * for when a retired uniform_send must fall back to template/send.
 */
public record SendRequest(Message message, Optional<String> app, boolean dryRun, Optional<String> idempotencyKey,
        boolean deduplicate, Optional<String> officialAccountOpenid) {
}
