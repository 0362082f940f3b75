package wxsend.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import cn.binarywang.wx.miniapp.api.WxMaService;
import me.chanjar.weixin.common.error.WxErrorException;

/**
 * What a user would otherwise deploy: a Lambda function that sends the same uniform_send body
 * with WxJava, written the way WxJava's README shows (one WxMaService built at class load, with
 * its default in-memory token). It answers {"status":"SENT"} like wxsend, so the same harness
 * measures both. Run through the runtime interface client as
 * {@code wxsend.bench.WxJavaFunction::handleRequest}.
 */
public class WxJavaFunction implements RequestStreamHandler {

    private static final WxMaService SERVICE = WxJavaSender.service(System.getenv("WECHAT_API_URL"),
            System.getenv("WECHAT_APPID"), System.getenv("WECHAT_SECRET"));

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonObject request = JsonParser.parseReader(new InputStreamReader(input, StandardCharsets.UTF_8)).getAsJsonObject();
        String answer;
        try {
            SERVICE.getMsgService().sendUniformMsg(WxJavaSender.message(request));
            answer = "{\"status\":\"SENT\"}";
        } catch (WxErrorException e) {
            answer = "{\"status\":\"REJECTED\",\"errcode\":" + e.getError().getErrorCode() + "}";
        }
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
