package wxsend.send;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;
import wxsend.wechat.MessageApi;

/**
 * The mini program's subscribe message, as subscribe/send takes it. Data items hold a value only.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "touser", "template_id", "page", "miniprogram_state", "lang", "data" })
public record SubscribeMessage(
        String touser,
        @JsonProperty("template_id") String templateId,
        String page,
        @JsonProperty("miniprogram_state") String miniprogramState,
        String lang,
        Map<String, UniformMessage.DataItem> data) implements Message {

    @Override
    @JsonIgnore
    public MessageApi api() {
        return MessageApi.SUBSCRIBE;
    }

    @Override
    public SubscribeMessage forRecipient(String recipient, Map<String, UniformMessage.DataItem> overrides) {
        return new SubscribeMessage(recipient, templateId, page, miniprogramState, lang, Message.merged(data, overrides));
    }
}
