package wxsend.send;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

import wxsend.wechat.MessageApi;

/** A message as one of WeChat's APIs takes it: serialised as is, it is the body posted. */
public sealed interface Message permits UniformMessage, TemplateMessage, SubscribeMessage {

    String touser();

    @JsonIgnore
    MessageApi api();

    /** The same message for another recipient, with their data items replacing or adding to the shared ones. */
    Message forRecipient(String touser, Map<String, UniformMessage.DataItem> data);

    static Map<String, UniformMessage.DataItem> merged(Map<String, UniformMessage.DataItem> base,
            Map<String, UniformMessage.DataItem> overrides) {
        Map<String, UniformMessage.DataItem> data = new java.util.LinkedHashMap<>(base);
        data.putAll(overrides);
        return data;
    }
}
