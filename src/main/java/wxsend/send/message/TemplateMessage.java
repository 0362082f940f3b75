package wxsend.send.message;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The official account's template message, as template/send takes it. {@code client_msg_id}
 * is filled from the idempotency key at send time, so WeChat also drops a repeat.
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "touser", "template_id", "url", "miniprogram", "client_msg_id", "data" })
public record TemplateMessage(
        String touser,
        @JsonProperty("template_id") String templateId,
        String url,
        MiniProgram miniprogram,
        @JsonProperty("client_msg_id") String clientMsgId,
        Map<String, DataItem> data) implements Message {

    @Override
    @JsonIgnore
    public Api api() {
        return Api.TEMPLATE;
    }

    @Override
    public TemplateMessage forRecipient(String recipient, Map<String, DataItem> overrides) {
        return new TemplateMessage(recipient, templateId, url, miniprogram, clientMsgId, Message.merged(data, overrides));
    }

    @Override
    @JsonIgnore
    public int dataSize() {
        return data.size();
    }

    /** template/send drops a repeat of the same client_msg_id for 10 minutes. */
    @Override
    public TemplateMessage withDedupId(String id) {
        return new TemplateMessage(touser, templateId, url, miniprogram, id, data);
    }

    /** What uniform_send's mp_template_msg becomes when it has to go through template/send instead. */
    public static TemplateMessage of(UniformMessage.MpTemplateMsg mp, String officialAccountOpenid) {
        return new TemplateMessage(officialAccountOpenid, mp.templateId(), mp.url(), mp.miniprogram(), null, mp.data());
    }
}
