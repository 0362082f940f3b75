package wxsend.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generated malformed requests, reproducible from a seed. Each starts from a valid single message
 * or batch and breaks one to three unrelated fields (wrong types, missing and unknown fields,
 * huge strings, deep nesting, bad colours and URLs, unpaired surrogates, too many recipients), or
 * breaks the body itself (invalid UTF-8, bad syntax, duplicate keys, nesting past the parser's
 * limit, over the size limit). Each case says what the answer must name.
 */
public final class Malformed {

    /**
     * @param fields the error fields the answer must name (field-level cases)
     * @param error the body-level error code (invalid_json, too_large), or null for field-level
     * @param json whether a direct invocation can carry it: well-formed JSON that Lambda's runtime reader takes
     */
    public record Case(String what, boolean batch, byte[] body, Set<String> fields, String error, int status, boolean json) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return what;
        }
    }

    /** One break: where (for keeping breaks apart), the field the answer must name, and the change. */
    private record Break(String path, String field, Consumer<ObjectNode> apply) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MP = "mp_template_msg";
    private static final List<String> STRINGS = List.of("touser", "app", "idempotencyKey", MP + ".appid", MP + ".template_id",
            MP + ".url", MP + ".miniprogram.appid", MP + ".miniprogram.pagepath", MP + ".data.first.value",
            MP + ".data.keyword1.value", MP + ".data.remark.value", MP + ".data.first.color");
    private static final List<String> OBJECTS = List.of(MP, MP + ".miniprogram", MP + ".data", MP + ".data.first",
            MP + ".data.keyword1", MP + ".data.remark");
    private static final List<String> REQUIRED = List.of("touser", MP, MP + ".appid", MP + ".template_id", MP + ".data",
            MP + ".miniprogram.appid", MP + ".data.first.value", MP + ".data.keyword1.value", MP + ".data.remark.value");
    private static final List<String> OBJECTS_WITH_FIXED_FIELDS = List.of("", MP, MP + ".miniprogram", MP + ".data.first",
            MP + ".data.keyword1");
    /** The longest each string may be, or its pattern's limit; one past it is refused. */
    private static final List<Object[]> LIMITS = List.of(new Object[] { "touser", 64 }, new Object[] { "app", 18 },
            new Object[] { "idempotencyKey", 128 }, new Object[] { MP + ".template_id", 128 },
            new Object[] { MP + ".url", 1024 }, new Object[] { MP + ".miniprogram.pagepath", 1024 },
            new Object[] { MP + ".data.first.value", 1024 }, new Object[] { MP + ".data.remark.value", 1024 },
            new Object[] { MP + ".data.keyword1.value", 20 });
    private static final List<String> COLOURS = List.of("#12345", "#1234567", "red", "#GGGGGG", "173177", "#17317",
            "rgb(23,49,119)", "", " #173177", "#173177 ", "#-17317", "##17317");
    private static final List<String> URLS = List.of("ftp://example.com/file", "javascript:alert(1)", "mailto:a@example.com",
            "file:///etc/passwd", "/download", "example.com/download", "http://", "https:///path", "http:// example.com",
            "data:text/html,hi", "//example.com/x", "ws://example.com/socket", "", "   ");
    private static final List<String> BAD_IDS = List.of("o abc", "o\tabc", "用户", "o/abc", "o+abc=", "o\"abc", "o.abc");
    private static final byte[][] BAD_UTF8 = { { (byte) 0xFF }, { (byte) 0xC3, 0x28 }, { (byte) 0x80 },
            { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
            { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, { (byte) 0xE2, (byte) 0x82 }, { (byte) 0xFE, (byte) 0xFF } };

    private final Random random;
    private final String appid;
    private final int maxRecipients;
    private final long maxBodyBytes;

    public Malformed(long seed, String appid, int maxRecipients, long maxBodyBytes) {
        this.random = new Random(seed);
        this.appid = appid;
        this.maxRecipients = maxRecipients;
        this.maxBodyBytes = maxBodyBytes;
    }

    public List<Case> cases(int count) {
        List<Case> cases = new ArrayList<>();
        while (cases.size() < count) {
            int pick = random.nextInt(20);
            cases.add(pick < 12 ? broken(false) : pick < 17 ? broken(true) : raw(random.nextBoolean()));
        }
        return cases;
    }

    private Case broken(boolean batch) {
        ObjectNode request = base(batch);
        List<Break> chosen = new ArrayList<>();
        int wanted = 1 + random.nextInt(3);
        for (int tries = 0; chosen.size() < wanted && tries < 20; tries++) {
            Break next = batch && random.nextInt(3) == 0 ? recipientBreak(request) : messageBreak(batch);
            if (chosen.stream().noneMatch(b -> related(b.path(), next.path()))) {
                chosen.add(next);
            }
        }
        Set<String> fields = new LinkedHashSet<>();
        StringBuilder what = new StringBuilder(batch ? "batch:" : "single:");
        for (Break b : chosen) {
            b.apply().accept(request);
            fields.add(b.field());
            what.append(' ').append(b.field());
        }
        // Jackson's byte parser, which reads direct invocations, refuses half a surrogate in a field name outright.
        boolean invocable = fields.stream().noneMatch(f -> f.contains("x_half"));
        return new Case(what.toString(), batch, bytes(request), fields, null, 400, invocable);
    }

    private ObjectNode base(boolean batch) {
        try {
            String text = batch ? Messages.batch(appid, 1 + random.nextInt(20)) : Messages.forApp(appid);
            ObjectNode request = (ObjectNode) JSON.readTree(text);
            ((ObjectNode) at(request, MP + ".data.keyword1")).put("value", "一部手机").put("color", "#173177");
            return request;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Break messageBreak(boolean batch) {
        while (true) {
            Break b = messageBreak();
            if (!batch || !b.path().equals("touser") && !b.path().equals("recipients")) {
                return b;
            }
        }
    }

    private Break messageBreak() {
        switch (random.nextInt(11)) {
            case 0: {
                String path = pick(STRINGS);
                JsonNode value = random.nextBoolean() ? notAString() : deepArray(2 + random.nextInt(400));
                return new Break(path, path, r -> set(r, path, value));
            }
            case 1: {
                String path = pick(OBJECTS);
                JsonNode value = random.nextInt(4) == 0 ? deepArray(2 + random.nextInt(400)) : notAnObject();
                return new Break(path, path, r -> set(r, path, value));
            }
            case 2: {
                String path = pick(REQUIRED);
                boolean asNull = random.nextBoolean();
                return new Break(path, path, r -> {
                    if (asNull) {
                        set(r, path, NODES.nullNode());
                    } else {
                        ((ObjectNode) at(r, parent(path))).remove(leaf(path));
                    }
                });
            }
            case 3: {
                String parent = pick(OBJECTS_WITH_FIXED_FIELDS);
                String name = unknownName();
                JsonNode value = random.nextInt(5) == 0 ? deepObject(2 + random.nextInt(400)) : anyValue();
                String field = (parent.isEmpty() ? "" : parent + ".") + shown(name);
                return new Break(field, field, r -> ((ObjectNode) at(r, parent)).set(name, value));
            }
            case 4: {
                Object[] limit = LIMITS.get(random.nextInt(LIMITS.size()));
                String path = (String) limit[0];
                int length = (int) limit[1] + 1 + (int) Math.min(300_000, Math.pow(10, random.nextDouble() * 5.5));
                String value = path.endsWith(".url") ? "https://example.com/" + "a".repeat(length) : huge(length);
                return new Break(path, path, r -> set(r, path, NODES.textNode(value)));
            }
            case 5: {
                String path = MP + ".data." + pick(List.of("first", "keyword1", "remark")) + ".color";
                String colour = pick(COLOURS);
                return new Break(path, path, r -> set(r, path, NODES.textNode(colour)));
            }
            case 6: {
                String url = pick(URLS);
                return new Break(MP + ".url", MP + ".url", r -> set(r, MP + ".url", NODES.textNode(url)));
            }
            case 7: {
                String path = pick(List.of("touser", MP + ".appid", MP + ".template_id", MP + ".miniprogram.appid", "app",
                        "idempotencyKey"));
                // Any printable ASCII is a good idempotency key, so only these break it.
                String id = path.equals("idempotencyKey") ? pick(List.of("o abc", "o\tabc", "用户", "", "é", "k".repeat(129)))
                        : pick(BAD_IDS);
                return new Break(path, path, r -> set(r, path, NODES.textNode(id)));
            }
            case 8: {
                String path = pick(List.of(MP + ".data.first.value", MP + ".data.keyword1.value", MP + ".miniprogram.pagepath",
                        "touser"));
                String value = "ok" + (random.nextBoolean() ? "\uD800" : "\uDC00x");
                return new Break(path, path, r -> set(r, path, NODES.textNode(value)));
            }
            case 9: {
                String key = pick(List.of("key-1", "1st", "a b", "k".repeat(33), "中文", "$where", "", dashedOpenid()));
                String field = MP + ".data." + shown(key);
                return new Break(field, field, r -> ((ObjectNode) at(r, MP + ".data")).putObject(key).put("value", "v"));
            }
            default: {
                if (random.nextBoolean()) {
                    JsonNode value = random.nextBoolean() ? NODES.textNode("true") : random.nextBoolean() ? NODES.numberNode(1)
                            : NODES.arrayNode().add(true);
                    return new Break("dryRun", "dryRun", r -> r.set("dryRun", value));
                }
                return new Break("recipients", "recipients",
                        r -> r.putArray("recipients").addObject().put("touser", Messages.openid(1)));
            }
        }
    }

    private Break recipientBreak(ObjectNode request) {
        ArrayNode recipients = (ArrayNode) request.get("recipients");
        int i = random.nextInt(recipients.size());
        String path = "recipients[" + i + "]";
        switch (random.nextInt(10)) {
            case 0: {
                int n = maxRecipients + 1 + random.nextInt(200);
                return new Break("recipients", "recipients", r -> {
                    ArrayNode many = r.putArray("recipients");
                    for (int k = 0; k < n; k++) {
                        many.addObject().put("touser", Messages.openid(k));
                    }
                });
            }
            case 1: {
                JsonNode value = random.nextBoolean() ? NODES.arrayNode() : notAnArray();
                return new Break("recipients", "recipients", r -> r.set("recipients", value));
            }
            case 2: {
                JsonNode value = notAnObject();
                return new Break(path, path, r -> ((ArrayNode) r.get("recipients")).set(i, value));
            }
            case 3:
                return new Break(path + ".touser", path + ".touser", r -> ((ObjectNode) r.get("recipients").get(i)).remove("touser"));
            case 4: {
                String id = random.nextBoolean() ? pick(BAD_IDS) : huge(65 + random.nextInt(5000));
                return new Break(path + ".touser", path + ".touser",
                        r -> ((ObjectNode) r.get("recipients").get(i)).put("touser", id));
            }
            case 5: {
                String name = unknownName();
                return new Break(path + "." + shown(name), path + "." + shown(name),
                        r -> ((ObjectNode) r.get("recipients").get(i)).put(name, 1));
            }
            case 6: {
                // Past 1024, not just past 20: another break may take away the official-account template.
                String value = huge(1025 + random.nextInt(1000));
                return new Break(path + ".data.keyword1.value", path + ".data.keyword1.value",
                        r -> ((ObjectNode) r.get("recipients").get(i).get("data").get("keyword1")).put("value", value));
            }
            case 7: {
                String colour = pick(COLOURS);
                return new Break(path + ".data.keyword1.color", path + ".data.keyword1.color",
                        r -> ((ObjectNode) r.get("recipients").get(i).get("data").get("keyword1")).put("color", colour));
            }
            case 8: {
                // A recipient's own data key that is no data key: an openid (named masked), or too long, or a digit first.
                String key = pick(List.of(dashedOpenid(), "k".repeat(33), "1st"));
                return new Break(path + ".data." + shown(key), path + ".data." + shown(key),
                        r -> ((ObjectNode) r.get("recipients").get(i).get("data")).putObject(key).put("value", "v"));
            }
            default: {
                if (recipients.size() < 2) {
                    return new Break("touser", "touser", r -> r.put("touser", Messages.openid(0)));
                }
                int j = i == 0 ? 1 : i;
                String copy = "recipients[" + j + "]";
                // Kept apart from every other recipient break: a later change to recipients[0] would undo the copy.
                return new Break("recipients", copy, r -> ((ArrayNode) r.get("recipients")).set(j, r.get("recipients").get(0).deepCopy()));
            }
        }
    }

    /** Breaks below the JSON: each must be refused as a body before any field is read. */
    private Case raw(boolean batch) {
        byte[] valid = bytes(base(batch));
        String text = new String(valid, StandardCharsets.UTF_8);
        switch (random.nextInt(9)) {
            case 0: {
                byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
                int at = text.indexOf("抽奖") >= 0 ? new String(valid, StandardCharsets.UTF_8).substring(0, text.indexOf("抽奖"))
                        .getBytes(StandardCharsets.UTF_8).length : valid.length / 2;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(valid, 0, at);
                out.writeBytes(bad);
                out.write(valid, at, valid.length - at);
                return body("invalid UTF-8", batch, out.toByteArray(), "invalid_json", 400);
            }
            case 1:
                return body("truncated", batch, text.substring(0, 1 + random.nextInt(text.length() - 1)), "invalid_json", 400);
            case 2:
                return body("trailing data", batch, text + pick(List.of(" x", "{}", ",", " []", "\"")), "invalid_json", 400);
            case 3:
                return body("duplicate key", batch, text.replaceFirst("\\{", "{\"app\":\"" + appid + "\","), "invalid_json", 400);
            case 4:
                return body("not JSON", batch, pick(List.of("{'touser':'x'}", "{touser: 1}", "{\"a\":NaN}", "{\"a\":1,}",
                        "/* c */ {}", "<xml/>", "touser=x&app=y", "{\"a\":01}", "{\"a\":\"\u0001\"}")), "invalid_json", 400);
            case 5: {
                int depth = 1_100 + random.nextInt(5_000);
                return body("nested " + depth + " deep", batch, text.replaceFirst("\\{", "{\"x\":" + "[".repeat(depth)
                        + "]".repeat(depth) + ","), "invalid_json", 400);
            }
            case 6: {
                int over = (int) maxBodyBytes + 1 + random.nextInt(100_000);
                String filler = huge(over);
                return body("over the size limit", batch, text.replaceFirst("\\{", "{\"x\":\"" + filler + "\","), "too_large", 413);
            }
            case 7:
                return body("empty", batch, random.nextBoolean() ? "" : "   ", "invalid_json", 400);
            default:
                return new Case("not an object", batch, pick(List.of("[]", "\"text\"", "42", "null", "true", "[{}]"))
                        .getBytes(StandardCharsets.UTF_8), Set.of("(request)"), null, 400, true);
        }
    }

    private static Case body(String what, boolean batch, Object body, String error, int status) {
        byte[] bytes = body instanceof byte[] b ? b : ((String) body).getBytes(StandardCharsets.UTF_8);
        return new Case((batch ? "batch: " : "single: ") + what, batch, bytes, Set.of(), error, status, false);
    }

    private JsonNode notAString() {
        return switch (random.nextInt(6)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.numberNode(random.nextDouble() * 1e300);
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.arrayNode().add("a");
            case 4 -> NODES.objectNode().put("value", "v");
            default -> NODES.numberNode(new java.math.BigInteger("9".repeat(1 + random.nextInt(900))));
        };
    }

    private JsonNode notAnObject() {
        return switch (random.nextInt(4)) {
            case 0 -> NODES.textNode("text");
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.booleanNode(false);
            default -> {
                ArrayNode array = NODES.arrayNode();
                array.addObject().put("value", "v");
                yield array;
            }
        };
    }

    private JsonNode notAnArray() {
        return random.nextBoolean() ? NODES.objectNode().put("touser", Messages.openid(1)) : NODES.textNode(Messages.openid(1));
    }

    private JsonNode anyValue() {
        return random.nextBoolean() ? notAString() : NODES.textNode(huge(1 + random.nextInt(50)));
    }

    private static JsonNode deepArray(int depth) {
        ArrayNode top = NODES.arrayNode();
        ArrayNode current = top;
        for (int i = 1; i < depth; i++) {
            current = current.addArray();
        }
        return top;
    }

    private static JsonNode deepObject(int depth) {
        ObjectNode top = NODES.objectNode();
        ObjectNode current = top;
        for (int i = 1; i < depth; i++) {
            current = current.putObject("a");
        }
        return top;
    }

    private String unknownName() {
        String base = switch (random.nextInt(6)) {
            case 0 -> "x_" + "n".repeat(1 + random.nextInt(90));
            // An openid as a key (a column of user ids gone wrong): answered only masked, and never logged whole.
            case 5 -> Messages.openid(random.nextInt(1_000_000));
            case 1 -> "x_控制\u0007";
            case 2 -> "x_" + "\uD83D\uDE00";
            case 3 -> "x_half\uD800";
            default -> "x_" + Integer.toString(random.nextInt(1_000_000), 36);
        };
        return base;
    }

    /** An openid with '-', as many are: not even a valid data key, so refused by its (masked) name. */
    private String dashedOpenid() {
        return "oRcpt-%022d".formatted(random.nextInt(1_000_000));
    }

    /**
     * How an answer quotes a caller's field name: control characters and half surrogates as '?',
     * and a name of more than 24 characters (an openid as a key, say) as its first four and last
     * two, with its length.
     */
    static String shown(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> out.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE ? '?' : c));
        int length = out.codePointCount(0, out.length());
        if (length <= 24) {
            return out.toString();
        }
        return out.substring(0, out.offsetByCodePoints(0, 4)) + "***" + out.substring(out.offsetByCodePoints(0, length - 2))
                + " (" + length + " characters)";
    }

    private String huge(int length) {
        char c = (char) ('a' + random.nextInt(26));
        return String.valueOf(c).repeat(length);
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static boolean related(String a, String b) {
        return a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".") || a.startsWith(b + "[") || b.startsWith(a + "[")
                || a.isEmpty() || b.isEmpty();
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        if (!path.isEmpty()) {
            for (String part : path.split("\\.")) {
                node = node.get(part);
            }
        }
        return node;
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        ((ObjectNode) at(root, parent(path))).set(leaf(path), value);
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            // Half surrogates must reach the parser as JSON escapes: as UTF-8 they cannot be written at all.
            String text = JSON.writeValueAsString(node);
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                        || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
                if (Character.isSurrogate(c) && !paired) {
                    out.append(String.format("\\u%04X", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
