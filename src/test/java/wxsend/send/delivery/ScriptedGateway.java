package wxsend.send.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.smallrye.mutiny.Uni;
import wxsend.send.message.Api;

/** The message port played from a script: each post takes the next reply, and every post is kept. */
final class ScriptedGateway implements MessageGateway {

    record Post(Api api, String accessToken, String body) {
    }

    private final Deque<Reply> script = new ArrayDeque<>();
    /** How long each answer takes to come back. */
    private java.time.Duration latency = java.time.Duration.ZERO;
    final List<Post> posts = new ArrayList<>();

    ScriptedGateway then(Reply reply) {
        script.add(reply);
        return this;
    }

    ScriptedGateway thenErrcode(int errcode) {
        return then(Reply.answered(200, errcode, "errmsg " + errcode, null));
    }

    ScriptedGateway answeringAfter(java.time.Duration after) {
        latency = after;
        return this;
    }

    /** Forgets what is left of the script. */
    synchronized void reset() {
        script.clear();
    }

    ScriptedGateway thenOk() {
        return then(Reply.answered(200, 0, "ok", null));
    }

    @Override
    public synchronized Uni<Reply> post(String appid, Api api, String accessToken, String body) {
        posts.add(new Post(api, accessToken, body));
        Reply next = script.poll();
        if (next == null) {
            throw new AssertionError("a post beyond the script: " + posts.size());
        }
        return latency.isZero() ? Uni.createFrom().item(next) : Uni.createFrom().item(next).onItem().delayIt().by(latency);
    }
}
