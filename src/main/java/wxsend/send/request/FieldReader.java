package wxsend.send.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import wxsend.send.outcome.FieldError;
import wxsend.send.outcome.Masking;

/**
 * Reads fields of a JSON request against their rules and collects every error, so the caller fixes
 * them all at once. Types are strict: a number is not a string. A field that fails its rule is
 * noted and read as null (or false), so reading goes on.
 */
final class FieldReader {

    private final List<FieldError> errors = new ArrayList<>();

    void error(String path, String message) {
        errors.add(new FieldError(path, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    int errorCount() {
        return errors.size();
    }

    List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** {@code parent[name]} as text, checked against the rule; errors are reported at {@code path}. */
    String text(JsonNode parent, String name, String path, TextRule rule) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (rule.required()) {
                error(path, "required");
            }
            return null;
        }
        if (!node.isTextual()) {
            error(path, "must be a string, not " + jsonType(node));
            return null;
        }
        String value = node.textValue();
        if (!wellFormed(value)) {
            // JSON escapes can carry half a surrogate pair; no UTF-8 encoder can send it on.
            error(path, "holds an unpaired surrogate (\\uD800-\\uDFFF), which is not text");
            return null;
        }
        if (rule.required() && value.isBlank()) {
            error(path, "must not be blank");
            return null;
        }
        if (!rule.matches(value)) {
            error(path, "must be " + rule.expected());
        }
        if (rule.maxLength() > 0 && value.length() > rule.maxLength()) {
            error(path, "longer than " + rule.maxLength() + " characters");
        }
        return value;
    }

    /** A top-level text field, named as it is spelt. */
    String text(JsonNode parent, String name, TextRule rule) {
        return text(parent, name, name, rule);
    }

    /** A boolean that defaults to false. */
    boolean bool(JsonNode parent, String name) {
        return bool(parent, name, false);
    }

    /** A boolean, {@code absent} when it is missing or wrong. */
    boolean bool(JsonNode parent, String name, boolean absent) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isBoolean()) {
            error(name, "must be true or false, not " + jsonType(node));
            return absent;
        }
        return node.booleanValue();
    }

    /** Whether the node is an object; a missing or other node is an error at {@code path}. */
    boolean object(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            error(path, "required");
            return false;
        }
        if (!node.isObject()) {
            error(path, "must be an object, not " + jsonType(node));
            return false;
        }
        return true;
    }

    /**
     * Refuses every field not in {@code known}: a typo would otherwise be dropped silently. The name
     * is quoted as {@link Masking#name} shows it, since a caller's key may be an openid.
     */
    void unknown(JsonNode node, String prefix, Set<String> known) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                error(prefix + Masking.name(name), "unknown field");
            }
        });
    }

    static boolean present(JsonNode parent, String name) {
        return parent.has(name) && !parent.get(name).isNull();
    }

    /** The JSON type of a node, as an error message names it. */
    static String jsonType(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase();
        };
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
}
