package wxsend.send.message;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An official account's subscription notification, as subscribe/bizsend takes it: WeChat's newer
 * alternative to template messages, sent only to users who subscribed to the template. {@code page}
 * is a web page to open; {@code miniprogram} a mini program page instead. Data items hold a value
 * only, bounded by the key's type as for the mini program's subscribe messages.
 * https://developers.weixin.qq.com/doc/offiaccount/Subscription_Messages/api.html
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "touser", "template_id", "page", "miniprogram", "data" })
public record BizsendMessage(
        String touser,
        @JsonProperty("template_id") String templateId,
        String page,
        MiniProgram miniprogram,
        Map<String, DataItem> data) implements Message {

    @Override
    @JsonIgnore
    public Api api() {
        return Api.BIZSEND;
    }

    @Override
    @JsonIgnore
    public int dataSize() {
        return data.size();
    }

    @Override
    public BizsendMessage forRecipient(String recipient, Map<String, DataItem> overrides) {
        return new BizsendMessage(recipient, templateId, page, miniprogram, Message.merged(data, overrides));
    }
}
