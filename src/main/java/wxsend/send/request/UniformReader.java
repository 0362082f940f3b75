package wxsend.send.request;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.DataItem;
import wxsend.send.message.MiniProgram;
import wxsend.send.message.UniformMessage;

/** Reads a uniform_send request: mp_template_msg, or the retired weapp_template_msg, or both. */
final class UniformReader {

    private static final String MP = "mp_template_msg";
    private static final String WEAPP = "weapp_template_msg";

    private UniformReader() {
    }

    static UniformMessage read(FieldReader in, JsonNode root, String touser) {
        UniformMessage.MpTemplateMsg mp = FieldReader.present(root, MP) ? mpTemplate(in, root.get(MP)) : null;
        UniformMessage.WeappTemplateMsg weapp = FieldReader.present(root, WEAPP) ? weappTemplate(in, root.get(WEAPP)) : null;
        if (!FieldReader.present(root, MP) && !FieldReader.present(root, WEAPP)) {
            in.error(MP, "required (or the retired weapp_template_msg)");
        }
        return new UniformMessage(touser, weapp, mp);
    }

    private static UniformMessage.MpTemplateMsg mpTemplate(FieldReader in, JsonNode node) {
        if (!in.object(node, MP)) {
            return null;
        }
        in.unknown(node, MP + ".", Set.of("appid", "template_id", "url", "miniprogram", "data"));
        String appid = in.text(node, "appid", MP + ".appid", Rules.APPID.asRequired());
        String templateId = in.text(node, "template_id", MP + ".template_id", Rules.TEMPLATE_ID);
        String url = PartsReader.url(in, node, MP + ".url");
        MiniProgram miniprogram = PartsReader.miniProgram(in, node, MP + ".miniprogram");
        Map<String, DataItem> data = PartsReader.data(in, node, MP + ".data", DataRule.OFFICIAL_ACCOUNT);
        return new UniformMessage.MpTemplateMsg(appid, templateId, url, miniprogram, data);
    }

    private static UniformMessage.WeappTemplateMsg weappTemplate(FieldReader in, JsonNode node) {
        if (!in.object(node, WEAPP)) {
            return null;
        }
        in.unknown(node, WEAPP + ".", Set.of("template_id", "page", "form_id", "data", "emphasis_keyword"));
        String templateId = in.text(node, "template_id", WEAPP + ".template_id", Rules.TEMPLATE_ID);
        String page = in.text(node, "page", WEAPP + ".page", Rules.PAGE);
        String formId = in.text(node, "form_id", WEAPP + ".form_id", Rules.FORM_ID);
        Map<String, DataItem> data = PartsReader.data(in, node, WEAPP + ".data", DataRule.GUARD);
        String emphasis = in.text(node, "emphasis_keyword", WEAPP + ".emphasis_keyword", Rules.EMPHASIS);
        return new UniformMessage.WeappTemplateMsg(templateId, page, formId, data, emphasis);
    }
}
