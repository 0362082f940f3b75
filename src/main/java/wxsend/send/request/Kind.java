package wxsend.send.request;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.Message;

/** The message kinds a request may name in {@code kind}, each with its own fields and reader. */
enum Kind {
    UNIFORM("uniform", Set.of("mp_template_msg", "weapp_template_msg", "officialAccountOpenid")),
    TEMPLATE("template", Set.of("template_id", "url", "miniprogram", "data")),
    SUBSCRIBE("subscribe", Set.of("template_id", "page", "miniprogram_state", "lang", "data")),
    BIZSEND("bizsend", Set.of("template_id", "page", "miniprogram", "data")),
    CUSTOM("custom", Set.of("msgtype", "text", "image", "link", "news", "miniprogrampage"));

    private final String name;
    private final Set<String> fields;

    Kind(String name, Set<String> own) {
        this.name = name;
        Set<String> all = new HashSet<>(Rules.SHARED_FIELDS);
        all.addAll(own);
        this.fields = Set.copyOf(all);
    }

    /** Every top-level field a request of this kind may hold. */
    Set<String> fields() {
        return fields;
    }

    /** The request's kind, uniform when absent; null (with the error noted) when it is none of them. */
    static Kind of(FieldReader in, JsonNode root) {
        int before = in.errorCount();
        String name = in.text(root, "kind", Rules.KIND);
        if (in.errorCount() > before) {
            return null;
        }
        for (Kind kind : values()) {
            if (kind.name.equals(name)) {
                return kind;
            }
        }
        return UNIFORM;
    }

    /** This kind's message for {@code touser} (null in a batch), read from the request's top level. */
    Message read(FieldReader in, JsonNode root, String touser) {
        return switch (this) {
            case UNIFORM -> UniformReader.read(in, root, touser);
            case TEMPLATE -> TemplateReader.read(in, root, touser);
            case SUBSCRIBE -> SubscribeReader.read(in, root, touser);
            case BIZSEND -> BizsendReader.read(in, root, touser);
            case CUSTOM -> CustomReader.read(in, root, touser);
        };
    }
}
