package wxsend.send.request;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.BizsendMessage;
import wxsend.send.message.MiniProgram;

/** Reads an official account's subscribe/bizsend request. */
final class BizsendReader {

    private BizsendReader() {
    }

    static BizsendMessage read(FieldReader in, JsonNode root, String touser) {
        String templateId = in.text(root, "template_id", Rules.TEMPLATE_ID);
        String page = PartsReader.url(in, root, "page", "page");
        MiniProgram miniprogram = PartsReader.miniProgram(in, root, "miniprogram");
        return new BizsendMessage(touser, templateId, page, miniprogram, PartsReader.data(in, root, "data", DataRule.SUBSCRIBE));
    }
}
