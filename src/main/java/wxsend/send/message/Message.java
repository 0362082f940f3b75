package wxsend.send.message;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;


/** A message as one of WeChat's APIs takes it: serialised as is, it is the body posted. */
public sealed interface Message permits UniformMessage, TemplateMessage, SubscribeMessage, BizsendMessage, CustomMessage {

    String touser();

    @JsonIgnore
    Api api();

    /** How many data items the message holds. */
    @JsonIgnore
    int dataSize();

    /** The same message for another recipient, with their data items replacing or adding to the shared ones. */
    Message forRecipient(String touser, Map<String, DataItem> data);

    /** The same message, posted under a de-duplication id where its API takes one; as it is elsewhere. */
    default Message withDedupId(String id) {
        return this;
    }

    static Map<String, DataItem> merged(Map<String, DataItem> base,
            Map<String, DataItem> overrides) {
        Map<String, DataItem> data = new java.util.LinkedHashMap<>(base);
        data.putAll(overrides);
        return data;
    }
}
