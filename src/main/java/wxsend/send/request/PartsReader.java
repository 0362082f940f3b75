package wxsend.send.request;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.message.DataItem;
import wxsend.send.message.MiniProgram;
import wxsend.send.outcome.Masking;

/** Reads the parts several kinds share: data items, the mini program to open, a URL. */
final class PartsReader {

    private PartsReader() {
    }

    /** {@code parent.data}: 1 to 50 items, each {value, color?} within the rule's limits. */
    static Map<String, DataItem> data(FieldReader in, JsonNode parent, String path, DataRule rule) {
        JsonNode node = parent.get("data");
        if (node == null || node.isNull()) {
            in.error(path, "required");
            return null;
        }
        if (!in.object(node, path)) {
            return null;
        }
        if (node.isEmpty()) {
            in.error(path, "must hold at least one item");
        } else if (node.size() > Rules.MAX_DATA_ITEMS) {
            in.error(path, "has more than " + Rules.MAX_DATA_ITEMS + " items");
            return null;
        }
        Map<String, DataItem> items = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            DataItem item = item(in, entry.getKey(), entry.getValue(), path + "." + Masking.name(entry.getKey()), rule);
            if (item != null) {
                items.put(entry.getKey(), item);
            }
        }
        return items;
    }

    private static DataItem item(FieldReader in, String key, JsonNode item, String path, DataRule rule) {
        if (!Rules.DATA_KEY.matches(key)) {
            in.error(path, "is not a valid data key (letters, digits, '_', at most 32)");
            return null;
        }
        if (!in.object(item, path)) {
            return null;
        }
        in.unknown(item, path + ".", rule.itemFields());
        String value = in.text(item, "value", path + ".value", Rules.VALUE);
        if (value != null) {
            int max = rule.limit(key, value);
            if (value.codePointCount(0, value.length()) > max) {
                in.error(path + ".value", "longer than " + max + " characters" + rule.whose(key, max));
            }
        }
        String color = rule == DataRule.SUBSCRIBE ? null : in.text(item, "color", path + ".color", Rules.COLOR);
        return new DataItem(value, color);
    }

    /** {@code parent.miniprogram} at {@code path}, or null when absent. */
    static MiniProgram miniProgram(FieldReader in, JsonNode parent, String path) {
        if (!FieldReader.present(parent, "miniprogram")) {
            return null;
        }
        JsonNode node = parent.get("miniprogram");
        if (!in.object(node, path)) {
            return null;
        }
        // The widely copied PHP sample sends "path"; WeChat's field is "pagepath", so take it as an alias.
        in.unknown(node, path + ".", Set.of("appid", "pagepath", "path"));
        String appid = in.text(node, "appid", path + ".appid", Rules.APPID.asRequired());
        String pagepath = in.text(node, "pagepath", path + ".pagepath", Rules.PAGE);
        String alias = in.text(node, "path", path + ".path", Rules.PAGE);
        if (pagepath != null && alias != null && !pagepath.equals(alias)) {
            in.error(path + ".path", "differs from pagepath; send pagepath only");
        }
        return new MiniProgram(appid, pagepath != null ? pagepath : alias);
    }

    /** An optional absolute http(s) URL, at most {@link Rules#MAX_URL} characters. */
    static String url(FieldReader in, JsonNode parent, String path) {
        return url(in, parent, "url", path);
    }

    /** An absolute http(s) URL in {@code field} of {@code parent}, errors named by {@code path}. */
    static String url(FieldReader in, JsonNode parent, String field, String path) {
        String url = in.text(parent, field, path, Rules.URL);
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                in.error(path, "must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            in.error(path, "must be an absolute http(s) URL");
        }
        return url;
    }
}
