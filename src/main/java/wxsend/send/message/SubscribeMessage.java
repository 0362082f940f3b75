package wxsend.send.message;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

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
        Map<String, DataItem> data) implements Message {

    @Override
    @JsonIgnore
    public Api api() {
        return Api.SUBSCRIBE;
    }

    @Override
    @JsonIgnore
    public int dataSize() {
        return data.size();
    }

    @Override
    public SubscribeMessage forRecipient(String recipient, Map<String, DataItem> overrides) {
        return new SubscribeMessage(recipient, templateId, page, miniprogramState, lang, Message.merged(data, overrides));
    }
}
