package wxsend.wechat;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * WeChat's HTTP API. Bodies are read as text because WeChat labels JSON as text/plain at times
 * and answers errors with HTTP 200; {@link WeChatClient} parses them.
 */
@Path("/cgi-bin")
@Produces(MediaType.WILDCARD)
interface WeChatApi {

    @GET
    @Path("/token")
    Uni<Response> token(@QueryParam("grant_type") String grantType, @QueryParam("appid") String appid,
            @QueryParam("secret") String secret);

    @POST
    @Path("/stable_token")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> stableToken(String body);

    @POST
    @Path("/message/wxopen/template/uniform_send")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> uniformSend(@QueryParam("access_token") String accessToken, String body);

    @POST
    @Path("/message/template/send")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> templateSend(@QueryParam("access_token") String accessToken, String body);

    @POST
    @Path("/openapi/quota/get")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> quotaGet(@QueryParam("access_token") String accessToken, String body);

    @POST
    @Path("/message/custom/send")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> customSend(@QueryParam("access_token") String accessToken, String body);

    @POST
    @Path("/message/subscribe/bizsend")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> bizsend(@QueryParam("access_token") String accessToken, String body);

    @POST
    @Path("/message/subscribe/send")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> subscribeSend(@QueryParam("access_token") String accessToken, String body);
}
