package wxsend.send.message;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * WeChat's uniform_send body, exactly as documented, and exactly what is posted.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/uniform-message/sendUniformMessage.html
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "touser", "weapp_template_msg", "mp_template_msg" })
public record UniformMessage(
        String touser,
        @JsonProperty("weapp_template_msg") WeappTemplateMsg weappTemplateMsg,
        @JsonProperty("mp_template_msg") MpTemplateMsg mpTemplateMsg) implements Message {

    @Override
    @JsonIgnore
    public Api api() {
        return Api.UNIFORM;
    }

    @Override
    @JsonIgnore
    public int dataSize() {
        return mpTemplateMsg != null ? mpTemplateMsg.data().size() : weappTemplateMsg.data().size();
    }

    @Override
    public UniformMessage forRecipient(String recipient, Map<String, DataItem> overrides) {
        WeappTemplateMsg weapp = weappTemplateMsg;
        MpTemplateMsg mp = mpTemplateMsg;
        return new UniformMessage(recipient,
                weapp == null ? null : new WeappTemplateMsg(weapp.templateId(), weapp.page(), weapp.formId(),
                        Message.merged(weapp.data(), overrides), weapp.emphasisKeyword()),
                mp == null ? null : new MpTemplateMsg(mp.appid(), mp.templateId(), mp.url(), mp.miniprogram(),
                        Message.merged(mp.data(), overrides)));
    }

    /** The official-account template message the mini program sends on its behalf. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({ "appid", "template_id", "url", "miniprogram", "data" })
    public record MpTemplateMsg(
            String appid,
            @JsonProperty("template_id") String templateId,
            String url,
            MiniProgram miniprogram,
            Map<String, DataItem> data) {
    }

    /** The mini-program template message, switched off by WeChat in 2020; still accepted and passed on. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({ "template_id", "page", "form_id", "data", "emphasis_keyword" })
    public record WeappTemplateMsg(
            @JsonProperty("template_id") String templateId,
            String page,
            @JsonProperty("form_id") String formId,
            Map<String, DataItem> data,
            @JsonProperty("emphasis_keyword") String emphasisKeyword) {
    }
}
