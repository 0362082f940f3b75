package wxsend.send.request;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.SubscribeMessage;

/** Reads a mini program's subscribe/send request. */
final class SubscribeReader {

    private SubscribeReader() {
    }

    static SubscribeMessage read(FieldReader in, JsonNode root, String touser) {
        String templateId = in.text(root, "template_id", Rules.TEMPLATE_ID);
        String page = in.text(root, "page", Rules.PAGE);
        String state = in.text(root, "miniprogram_state", Rules.MINIPROGRAM_STATE);
        String lang = in.text(root, "lang", Rules.LANG);
        return new SubscribeMessage(touser, templateId, page, state, lang,
                PartsReader.data(in, root, "data", DataRule.SUBSCRIBE));
    }
}
