package wxsend.send.delivery;

import io.smallrye.mutiny.Uni;
import wxsend.send.message.Api;

/**
 * What the send domain needs from WeChat's message APIs: post this body to this API with this
 * access_token, and get back a typed reply. The returned Uni never fails: transport failures
 * come back as a {@link Reply} too, and nothing in a reply carries the URL (it holds the token).
 */
public interface MessageGateway {

    /** Posts through {@code appid}'s route to WeChat: its own base URL when it has one (an egress proxy). */
    Uni<Reply> post(String appid, Api api, String accessToken, String body);
}
