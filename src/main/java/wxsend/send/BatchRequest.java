package wxsend.send;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A validated batch: one message for everyone ({@code template.message()} has no touser) and
 * the recipients, each of whom may replace or add data items.
 */
record BatchRequest(SendRequest template, List<Recipient> recipients) {

    @RegisterForReflection
    record Recipient(String touser, Map<String, UniformMessage.DataItem> data) {
    }

    UniformMessage message(int index) {
        Recipient recipient = recipients.get(index);
        UniformMessage base = template.message();
        UniformMessage.MpTemplateMsg mp = base.mpTemplateMsg();
        UniformMessage.WeappTemplateMsg weapp = base.weappTemplateMsg();
        return new UniformMessage(recipient.touser(),
                weapp == null ? null : new UniformMessage.WeappTemplateMsg(weapp.templateId(), weapp.page(),
                        weapp.formId(), merged(weapp.data(), recipient.data()), weapp.emphasisKeyword()),
                mp == null ? null : new UniformMessage.MpTemplateMsg(mp.appid(), mp.templateId(), mp.url(),
                        mp.miniprogram(), merged(mp.data(), recipient.data())));
    }

    static Map<String, UniformMessage.DataItem> merged(Map<String, UniformMessage.DataItem> base,
            Map<String, UniformMessage.DataItem> overrides) {
        Map<String, UniformMessage.DataItem> data = new LinkedHashMap<>(base);
        data.putAll(overrides);
        return data;
    }
}
