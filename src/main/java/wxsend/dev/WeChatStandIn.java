package wxsend.dev;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.core.http.HttpServerRequest;

/**
 * WeChat, played in dev mode so that a real send can be tried without an account: opt-in
 * (WECHAT_STAND_IN=true, a build-time switch, so no other build contains it), loopback callers
 * only, at /dev/wechat on the application's own port. It answers as WeChat does: stable_token and
 * token issue a token; the message APIs check it (40001 otherwise) and answer errcode 0 (with a
 * msgid from template/send); a recipient whose openid ends in {@code -errcode-N} gets errcode N
 * instead, with WeChat's errmsg, so that every answer wxsend handles can be seen; quota/get reports
 * a quota. Each message is logged with its recipient masked, as wxsend logs them.
 */
@IfBuildProperty(name = "wxsend.dev.wechat-stand-in", stringValue = "true")
@Path("/dev/wechat/cgi-bin")
@Produces(MediaType.APPLICATION_JSON)
public class WeChatStandIn {

    private static final Logger LOG = Logger.getLogger(WeChatStandIn.class);
    private static final String TOKEN_PREFIX = "DEVTOKEN_";
    private static final Pattern ERRCODE = Pattern.compile("-errcode-(-?\\d{1,6})$");
    /** WeChat's own errmsg for the errcodes wxsend treats apart. */
    private static final Map<Integer, String> ERRMSG = Map.ofEntries(
            Map.entry(-1, "system error"), Map.entry(40001, "invalid credential, access_token is invalid or not latest"),
            Map.entry(40003, "invalid openid"), Map.entry(40037, "invalid template_id"),
            Map.entry(40164, "invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist"),
            Map.entry(42001, "access_token expired"), Map.entry(43101, "user refuse to accept the msg"),
            Map.entry(45009, "reach max api daily quota limit"), Map.entry(45011, "api minute-quota reach limit"),
            Map.entry(45015, "response out of time limit or subscription is canceled"),
            Map.entry(45047, "out of response count limit"), Map.entry(45109, "uniform_send is offline"),
            Map.entry(47003, "argument invalid! data.thing1.value invalid"));

    private final ObjectMapper json;
    private static final long FIRST_MSGID = 2_000_000_000L;
    private final AtomicLong msgids = new AtomicLong(FIRST_MSGID);

    WeChatStandIn(ObjectMapper json) {
        this.json = json;
    }

    @POST
    @Path("stable_token")
    @Consumes(MediaType.WILDCARD)
    public Response stableToken(@Context HttpServerRequest request, String body) {
        return loopback(request) ? token(read(body).path("appid").asText("")) : refused();
    }

    @GET
    @Path("token")
    public Response token(@Context HttpServerRequest request, @QueryParam("appid") String appid) {
        return loopback(request) ? token(appid == null ? "" : appid) : refused();
    }

    @POST
    @Path("openapi/quota/get")
    @Consumes(MediaType.WILDCARD)
    public Response quota(@Context HttpServerRequest request, @QueryParam("access_token") String token) {
        if (!loopback(request)) {
            return refused();
        }
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            return answer(40001, null);
        }
        long used = msgids.get() - FIRST_MSGID;
        return Response.ok("{\"errcode\":0,\"errmsg\":\"ok\",\"quota\":{\"daily_limit\":100000,\"used\":" + used
                + ",\"remain\":" + (100_000 - used) + "}}").build();
    }

    @POST
    @Path("message/{api: .+}")
    @Consumes(MediaType.WILDCARD)
    public Response message(@Context HttpServerRequest request, @PathParam("api") String api,
            @QueryParam("access_token") String token, String body) {
        if (!loopback(request)) {
            return refused();
        }
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            return answer(40001, null);
        }
        JsonNode message = read(body);
        String touser = message.path("touser").asText("");
        Matcher errcode = ERRCODE.matcher(touser);
        int code = errcode.find() ? Integer.parseInt(errcode.group(1)) : 0;
        Long msgid = code == 0 && api.equals("template/send") ? msgids.incrementAndGet() : null;
        LOG.infof("dev WeChat stand-in: %s to %s answered errcode %d", api, mask(touser), code);
        return answer(code, msgid);
    }

    private Response token(String appid) {
        // A token names its app, as a real one does not: easier to follow in dev mode's logs.
        return Response.ok(json.createObjectNode().put("access_token", TOKEN_PREFIX + appid + "_" + System.nanoTime())
                .put("expires_in", 7200).toString()).build();
    }

    private Response answer(int errcode, Long msgid) {
        ObjectNode body = json.createObjectNode().put("errcode", errcode)
                .put("errmsg", errcode == 0 ? "ok" : ERRMSG.getOrDefault(errcode, "stand-in errcode " + errcode));
        if (msgid != null) {
            body.put("msgid", msgid);
        }
        // Labelled text/plain, as WeChat labels some of its JSON.
        return Response.ok(body.toString()).type(errcode == 0 ? MediaType.APPLICATION_JSON : MediaType.TEXT_PLAIN).build();
    }

    private JsonNode read(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (java.io.IOException e) {
            return json.createObjectNode();
        }
    }

    private static boolean loopback(HttpServerRequest request) {
        try {
            return request.remoteAddress() != null && InetAddress.getByName(request.remoteAddress().host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Response refused() {
        return Response.status(403).entity("{\"error\":\"the dev WeChat stand-in answers loopback callers only\"}").build();
    }

    private static String mask(String openid) {
        return openid.length() <= 6 ? "***" : openid.substring(0, 4) + "***" + openid.substring(openid.length() - 2);
    }
}
