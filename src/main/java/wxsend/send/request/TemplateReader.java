package wxsend.send.request;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.MiniProgram;
import wxsend.send.message.TemplateMessage;

/** Reads an official account's template/send request. */
final class TemplateReader {

    private TemplateReader() {
    }

    static TemplateMessage read(FieldReader in, JsonNode root, String touser) {
        String templateId = in.text(root, "template_id", Rules.TEMPLATE_ID);
        String url = PartsReader.url(in, root, "url");
        MiniProgram miniprogram = PartsReader.miniProgram(in, root, "miniprogram");
        return new TemplateMessage(touser, templateId, url, miniprogram, null,
                PartsReader.data(in, root, "data", DataRule.OFFICIAL_ACCOUNT));
    }
}
