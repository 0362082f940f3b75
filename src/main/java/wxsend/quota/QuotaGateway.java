package wxsend.quota;

import io.smallrye.mutiny.Uni;

/**
 * What quota reporting needs from WeChat: {@code openapi/quota/get} for one API path, with the
 * app's token, through the app's route. The returned Uni never fails.
 */
public interface QuotaGateway {

    Uni<QuotaReply> quota(String appid, String accessToken, String cgiPath);
}
