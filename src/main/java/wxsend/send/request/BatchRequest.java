package wxsend.send.request;

import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;
import wxsend.send.message.DataItem;
import wxsend.send.message.Message;

/**
 * A validated batch: one message for everyone ({@code template.message()} has no touser) and
 * the recipients, each of whom may replace or add data items.
 */
public record BatchRequest(SendRequest template, List<Recipient> recipients) {

    @RegisterForReflection
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Recipient(String touser, Map<String, DataItem> data, String officialAccountOpenid) {
    }

    public Message message(int index) {
        Recipient recipient = recipients.get(index);
        return template.message().forRecipient(recipient.touser(), recipient.data());
    }

    /** Where a retired uniform_send falls back to, for this recipient. */
    public java.util.Optional<String> officialAccountOpenid(int index) {
        return java.util.Optional.ofNullable(recipients.get(index).officialAccountOpenid());
    }
}
