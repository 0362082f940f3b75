package wxsend.bench;

import java.util.Map;

import com.google.gson.JsonObject;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaTemplateData;
import cn.binarywang.wx.miniapp.bean.WxMaUniformMessage;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;

/** WxJava set up against the stand-in, and the uniform_send body turned into WxJava's message. */
final class WxJavaSender {

    private WxJavaSender() {
    }

    static WxMaService service(String apiUrl, String appid, String secret) {
        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(appid);
        config.setSecret(secret);
        config.setApiHostUrl(apiUrl);
        // The same token endpoint wxsend uses, so both make the same two calls on a cold start.
        config.useStableAccessToken(true);
        WxMaService service = new WxMaServiceImpl();
        service.setWxMaConfig(config);
        return service;
    }

    static WxMaUniformMessage message(JsonObject request) {
        JsonObject mp = request.getAsJsonObject("mp_template_msg");
        WxMaUniformMessage message = new WxMaUniformMessage();
        message.setMpTemplateMsg(true);
        message.setToUser(request.get("touser").getAsString());
        message.setAppid(mp.get("appid").getAsString());
        message.setTemplateId(mp.get("template_id").getAsString());
        if (mp.has("url")) {
            message.setUrl(mp.get("url").getAsString());
        }
        if (mp.has("miniprogram")) {
            // WxJava writes the page as "path" (or, asked for the page path, as "pagePath"); it
            // has no way to write WeChat's documented "pagepath". bench/run.py compares bodies with
            // that one key aside.
            JsonObject mini = mp.getAsJsonObject("miniprogram");
            message.setMiniProgram(new WxMaUniformMessage.MiniProgram(mini.get("appid").getAsString(),
                    mini.get("pagepath").getAsString(), true, false));
        }
        for (Map.Entry<String, com.google.gson.JsonElement> item : mp.getAsJsonObject("data").entrySet()) {
            JsonObject value = item.getValue().getAsJsonObject();
            message.addData(new WxMaTemplateData(item.getKey(), value.get("value").getAsString(),
                    value.has("color") ? value.get("color").getAsString() : null));
        }
        return message;
    }
}
