package wxsend.send;

import java.util.Optional;

/** A validated request: the message to post, which app sends it, and whether to only show it. */
record SendRequest(UniformMessage message, Optional<String> app, boolean dryRun) {
}
