package wxsend.send;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a request from JSON and names every field that is wrong, so the caller fixes them all
 * at once. Types are strict (a number is not a string), unknown fields are refused (a typo
 * would otherwise be dropped silently), and nothing reaches WeChat unless all of it is right.
 */
final class RequestReader {

    static final Pattern APPID = Pattern.compile("wx[0-9A-Za-z]{16}");
    static final Pattern OPENID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    static final Pattern TEMPLATE_ID = Pattern.compile("[0-9A-Za-z_-]{1,128}");
    static final Pattern DATA_KEY = Pattern.compile("[A-Za-z_][0-9A-Za-z_]{0,31}");
    static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");
    static final Pattern EMPHASIS = Pattern.compile("[A-Za-z_][0-9A-Za-z_]{0,31}\\.DATA");
    static final int MAX_URL = 1024;
    static final int MAX_PAGE = 1024;
    static final int MAX_FORM_ID = 128;
    static final int MAX_VALUE = 1024;
    static final int MAX_DATA_ITEMS = 50;
    /**
     * WeChat's rule for official-account template messages since 2023-05-04: each keyword's
     * content is at most 20 characters. first and remark are dropped by WeChat, not limited.
     */
    static final int MAX_KEYWORD_VALUE = 20;
    static final Set<String> DROPPED_KEYS = Set.of("first", "remark");
    static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");
    static final Pattern KIND = Pattern.compile("uniform|template|subscribe");
    static final Pattern MINIPROGRAM_STATE = Pattern.compile("developer|trial|formal");
    static final Pattern LANG = Pattern.compile("zh_CN|en_US|zh_HK|zh_TW");
    /**
     * subscribe/send's documented value limits, by the data key's type (the key less its number:
     * thing3 is a thing). Types without a documented length (time, date, amount, enum) get MAX_VALUE.
     */
    static final Map<String, Integer> SUBSCRIBE_LIMITS = Map.of("thing", 20, "number", 32, "letter", 32, "symbol", 5,
            "character_string", 32, "phone_number", 17, "car_number", 8, "name", 20, "phrase", 5);
    static final Set<String> SHARED_FIELDS = Set.of("kind", "touser", "app", "dryRun", "idempotencyKey", "recipients");
    static final Map<String, Set<String>> KIND_FIELDS = Map.of(
            "uniform", Set.of("mp_template_msg", "weapp_template_msg", "officialAccountOpenid"),
            "template", Set.of("template_id", "url", "miniprogram", "data"),
            "subscribe", Set.of("template_id", "page", "miniprogram_state", "lang", "data"));

    /** How strictly data values are bounded. */
    enum DataRule {
        /** wxsend's guard only: the retired mini-program template. */
        GUARD,
        /** Official-account templates: keywords at most 20 characters. */
        OFFICIAL_ACCOUNT,
        /** Subscribe messages: value only, bounded by the key's type. */
        SUBSCRIBE
    }

    final List<FieldError> errors = new ArrayList<>();

    sealed interface Result permits Valid, Invalid {
    }

    record Valid(SendRequest request) implements Result {
    }

    record Invalid(List<FieldError> errors) implements Result {
    }

    static Result read(JsonNode root) {
        return new RequestReader().readRequest(root);
    }

    private Result readRequest(JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new Invalid(List.of(new FieldError("(request)", "is empty; expected a JSON object")));
        }
        if (!root.isObject()) {
            return new Invalid(List.of(new FieldError("(request)", "must be a JSON object, not " + kind(root))));
        }
        if (root.has("recipients")) {
            errors.add(new FieldError("recipients", "belongs to a batch: send it to POST /messages/batch"));
        }
        String kind = kindOf(root);
        if (kind == null) {
            return new Invalid(List.copyOf(errors));
        }
        unknown(root, "", fields(kind));
        String touser = touser(root, "touser");
        SendRequest request = common(root, touser, kind);
        return errors.isEmpty() ? new Valid(request) : new Invalid(List.copyOf(errors));
    }

    /** The request's kind, uniform when absent; null (with the error noted) when it is none of the three. */
    String kindOf(JsonNode root) {
        int before = errors.size();
        String kind = text(root, "kind", "kind", false, KIND, "uniform, template or subscribe");
        return errors.size() > before ? null : kind == null ? "uniform" : kind;
    }

    static Set<String> fields(String kind) {
        Set<String> fields = new java.util.HashSet<>(SHARED_FIELDS);
        fields.addAll(KIND_FIELDS.get(kind));
        return fields;
    }

    /** The fields a single request and a batch share: the message (with this recipient), app, dryRun, key. */
    SendRequest common(JsonNode root, String touser, String kind) {
        Optional<String> app = Optional.ofNullable(text(root, "app", "app", false, APPID, "an appid: 'wx' and 16 letters or digits"));
        boolean dryRun = bool(root, "dryRun");
        Optional<String> key = Optional.ofNullable(text(root, "idempotencyKey", "idempotencyKey", false, IDEMPOTENCY_KEY,
                "1 to 128 printable ASCII characters, no spaces"));
        Message message = switch (kind) {
            case "template" -> template(root, touser);
            case "subscribe" -> subscribe(root, touser);
            default -> uniform(root, touser);
        };
        Optional<String> officialAccountOpenid = Optional.ofNullable(text(root, "officialAccountOpenid", "officialAccountOpenid",
                false, OPENID, "letters, digits, '_' or '-', at most 64"));
        return new SendRequest(message, app, dryRun, key, officialAccountOpenid);
    }

    private UniformMessage uniform(JsonNode root, String touser) {
        UniformMessage.MpTemplateMsg mp = present(root, "mp_template_msg") ? mpTemplate(root.get("mp_template_msg")) : null;
        UniformMessage.WeappTemplateMsg weapp = present(root, "weapp_template_msg")
                ? weappTemplate(root.get("weapp_template_msg")) : null;
        if (!present(root, "mp_template_msg") && !present(root, "weapp_template_msg")) {
            errors.add(new FieldError("mp_template_msg", "required (or the retired weapp_template_msg)"));
        }
        return new UniformMessage(touser, weapp, mp);
    }

    private TemplateMessage template(JsonNode root, String touser) {
        String templateId = text(root, "template_id", "template_id", true, TEMPLATE_ID, "letters, digits, '_' or '-', at most 128");
        String url = url(root, "url");
        UniformMessage.MiniProgram miniprogram = present(root, "miniprogram") ? miniProgram(root.get("miniprogram"), "miniprogram")
                : null;
        return new TemplateMessage(touser, templateId, url, miniprogram, null, data(root, "data", DataRule.OFFICIAL_ACCOUNT));
    }

    private SubscribeMessage subscribe(JsonNode root, String touser) {
        String templateId = text(root, "template_id", "template_id", true, TEMPLATE_ID, "letters, digits, '_' or '-', at most 128");
        String page = bounded(root, "page", "page", MAX_PAGE);
        String state = text(root, "miniprogram_state", "miniprogram_state", false, MINIPROGRAM_STATE,
                "developer, trial or formal");
        String lang = text(root, "lang", "lang", false, LANG, "zh_CN, en_US, zh_HK or zh_TW");
        return new SubscribeMessage(touser, templateId, page, state, lang, data(root, "data", DataRule.SUBSCRIBE));
    }

    String touser(JsonNode parent, String path) {
        return text(parent, "touser", path, true, OPENID, "letters, digits, '_' or '-', at most 64");
    }

    private UniformMessage.MpTemplateMsg mpTemplate(JsonNode node) {
        String path = "mp_template_msg";
        if (!object(node, path)) {
            return null;
        }
        unknown(node, path + ".", Set.of("appid", "template_id", "url", "miniprogram", "data"));
        String appid = text(node, "appid", path + ".appid", true, APPID, "an appid: 'wx' and 16 letters or digits");
        String templateId = text(node, "template_id", path + ".template_id", true, TEMPLATE_ID,
                "letters, digits, '_' or '-', at most 128");
        String url = url(node, path + ".url");
        UniformMessage.MiniProgram miniprogram = present(node, "miniprogram")
                ? miniProgram(node.get("miniprogram"), path + ".miniprogram") : null;
        Map<String, UniformMessage.DataItem> data = data(node, path + ".data", DataRule.OFFICIAL_ACCOUNT);
        return new UniformMessage.MpTemplateMsg(appid, templateId, url, miniprogram, data);
    }

    private UniformMessage.MiniProgram miniProgram(JsonNode node, String path) {
        if (!object(node, path)) {
            return null;
        }
        // The widely copied PHP sample sends "path"; WeChat's field is "pagepath", so take it as an alias.
        unknown(node, path + ".", Set.of("appid", "pagepath", "path"));
        String appid = text(node, "appid", path + ".appid", true, APPID, "an appid: 'wx' and 16 letters or digits");
        String pagepath = bounded(node, "pagepath", path + ".pagepath", MAX_PAGE);
        String alias = bounded(node, "path", path + ".path", MAX_PAGE);
        if (pagepath != null && alias != null && !pagepath.equals(alias)) {
            errors.add(new FieldError(path + ".path", "differs from pagepath; send pagepath only"));
        }
        return new UniformMessage.MiniProgram(appid, pagepath != null ? pagepath : alias);
    }

    private UniformMessage.WeappTemplateMsg weappTemplate(JsonNode node) {
        String path = "weapp_template_msg";
        if (!object(node, path)) {
            return null;
        }
        unknown(node, path + ".", Set.of("template_id", "page", "form_id", "data", "emphasis_keyword"));
        String templateId = text(node, "template_id", path + ".template_id", true, TEMPLATE_ID,
                "letters, digits, '_' or '-', at most 128");
        String page = bounded(node, "page", path + ".page", MAX_PAGE);
        String formId = text(node, "form_id", path + ".form_id", true, null, null);
        if (formId != null && formId.length() > MAX_FORM_ID) {
            errors.add(new FieldError(path + ".form_id", "longer than " + MAX_FORM_ID + " characters"));
        }
        Map<String, UniformMessage.DataItem> data = data(node, path + ".data", DataRule.GUARD);
        String emphasis = text(node, "emphasis_keyword", path + ".emphasis_keyword", false, EMPHASIS,
                "a data key followed by '.DATA', such as keyword1.DATA");
        return new UniformMessage.WeappTemplateMsg(templateId, page, formId, data, emphasis);
    }

    Map<String, UniformMessage.DataItem> data(JsonNode parent, String path, DataRule rule) {
        JsonNode node = parent.get("data");
        if (node == null || node.isNull()) {
            errors.add(new FieldError(path, "required"));
            return null;
        }
        if (!object(node, path)) {
            return null;
        }
        if (node.isEmpty()) {
            errors.add(new FieldError(path, "must hold at least one item"));
        } else if (node.size() > MAX_DATA_ITEMS) {
            errors.add(new FieldError(path, "has more than " + MAX_DATA_ITEMS + " items"));
            return null;
        }
        Map<String, UniformMessage.DataItem> items = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String itemPath = path + "." + shortened(entry.getKey());
            if (!DATA_KEY.matcher(entry.getKey()).matches()) {
                errors.add(new FieldError(itemPath, "is not a valid data key (letters, digits, '_', at most 32)"));
                continue;
            }
            JsonNode item = entry.getValue();
            if (!object(item, itemPath)) {
                continue;
            }
            // Subscribe messages have no colour: WeChat would ignore it, so it is refused rather than dropped.
            unknown(item, itemPath + ".", rule == DataRule.SUBSCRIBE ? Set.of("value") : Set.of("value", "color"));
            String value = text(item, "value", itemPath + ".value", true, null, null);
            int max = limit(rule, entry.getKey());
            if (rule == DataRule.SUBSCRIBE && type(entry.getKey()).equals("name") && value != null && hasHan(value)) {
                max = MAX_CHINESE_NAME;
            }
            if (value != null && value.codePointCount(0, value.length()) > max) {
                errors.add(new FieldError(itemPath + ".value", "longer than " + max + " characters"
                        + (rule == DataRule.SUBSCRIBE && max < MAX_VALUE ? " (WeChat's limit for a " + type(entry.getKey()) + " value)"
                                : max == MAX_KEYWORD_VALUE ? " (WeChat's limit for a template keyword)" : "")));
            }
            String color = rule == DataRule.SUBSCRIBE ? null
                    : text(item, "color", itemPath + ".color", false, COLOR, "a colour such as #173177");
            items.put(entry.getKey(), new UniformMessage.DataItem(value, color));
        }
        return items;
    }

    private static int limit(DataRule rule, String key) {
        return switch (rule) {
            case GUARD -> MAX_VALUE;
            case OFFICIAL_ACCOUNT -> DROPPED_KEYS.contains(key) ? MAX_VALUE : MAX_KEYWORD_VALUE;
            case SUBSCRIBE -> SUBSCRIBE_LIMITS.getOrDefault(type(key), MAX_VALUE);
        };
    }

    /** WeChat's name type: 10 Chinese characters, or 20 letters; a mix counts as Chinese. */
    static final int MAX_CHINESE_NAME = 10;

    private static boolean hasHan(String value) {
        return value.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    /** thing3 is a thing, character_string12 a character_string. */
    private static String type(String key) {
        return key.replaceFirst("\\d+$", "");
    }

    private String url(JsonNode parent, String path) {
        String url = bounded(parent, "url", path, MAX_URL);
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                errors.add(new FieldError(path, "must be an absolute http(s) URL"));
            }
        } catch (Exception e) {
            errors.add(new FieldError(path, "must be an absolute http(s) URL"));
        }
        return url;
    }

    private String bounded(JsonNode parent, String name, String path, int max) {
        String value = text(parent, name, path, false, null, null);
        if (value != null && value.length() > max) {
            errors.add(new FieldError(path, "longer than " + max + " characters"));
        }
        return value;
    }

    String text(JsonNode parent, String name, String path, boolean required, Pattern pattern, String expected) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(path, "required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(path, "must be a string, not " + kind(node)));
            return null;
        }
        String value = node.textValue();
        if (!wellFormed(value)) {
            // JSON escapes can carry half a surrogate pair; no UTF-8 encoder can send it on.
            errors.add(new FieldError(path, "holds an unpaired surrogate (\\uD800-\\uDFFF), which is not text"));
            return null;
        }
        if (required && value.isBlank()) {
            errors.add(new FieldError(path, "must not be blank"));
            return null;
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            errors.add(new FieldError(path, "must be " + expected));
        }
        return value;
    }

    private boolean bool(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            errors.add(new FieldError(name, "must be true or false, not " + kind(node)));
            return false;
        }
        return node.booleanValue();
    }

    boolean object(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError(path, "required"));
            return false;
        }
        if (!node.isObject()) {
            errors.add(new FieldError(path, "must be an object, not " + kind(node)));
            return false;
        }
        return true;
    }

    void unknown(JsonNode node, String prefix, Set<String> known) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                errors.add(new FieldError(prefix + shortened(name), "unknown field"));
            }
        });
    }

    /** A caller's field name, fit to be quoted in an answer and a log: short, printable, whole characters. */
    private static String shortened(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(64).forEach(c -> out.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE ? '?' : c));
        return name.codePointCount(0, name.length()) <= 64 ? out.toString() : out + "…";
    }

    static boolean wellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static boolean present(JsonNode parent, String name) {
        return parent.has(name) && !parent.get(name).isNull();
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
