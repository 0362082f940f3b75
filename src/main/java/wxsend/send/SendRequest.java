package wxsend.send;

import java.util.Optional;

/**
 * A validated request: the message to post, which app sends it, whether to only show it, and
 * the caller's idempotency key, if it gave one.
 */
record SendRequest(UniformMessage message, Optional<String> app, boolean dryRun, Optional<String> idempotencyKey) {
}
