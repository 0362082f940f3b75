package wxsend.broadcast;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import wxsend.send.outcome.Masking;

/**
 * Chunk messages: {@code {"chunk":{"broadcast":id,"seq":n,"since":millis,"recipients":[…]}}}. A
 * chunk holds at most the configured number of recipients and at most {@link #MAX_BYTES} of UTF-8,
 * whatever data each recipient carries; SQS counts bytes, not characters, and a recipient's
 * Chinese text takes three a character. Chunks are numbered as planned, and a chunk's number
 * names its ledger, so a chunk planned or queued twice reaches nobody twice. {@code since} is when
 * the chunk's ledger was last known to be kept (its pause refreshes it when that is old).
 */
final class Chunks {

    /** SQS takes 256 KiB a message and a whole SendMessageBatch; a chunk keeps within a quarter of that. */
    static final int MAX_BYTES = 64 * 1024;
    /** The envelope around the recipients, with room to spare: an id, two numbers, and the field names. */
    static final int ENVELOPE_BYTES = 512;
    /** The largest recipient one chunk message can carry alone. */
    static final int MAX_RECIPIENT_BYTES = MAX_BYTES - ENVELOPE_BYTES;

    private Chunks() {
    }

    /** The chunks of these recipients, numbered from {@code firstSeq}; each recipient at most {@link #MAX_RECIPIENT_BYTES}. */
    static List<String> plan(ObjectMapper json, String broadcastId, Iterable<JsonNode> recipients, int size, int firstSeq,
            long since) {
        List<String> bodies = new ArrayList<>();
        ArrayNode chunk = json.createArrayNode();
        int bytes = 0;
        for (JsonNode recipient : recipients) {
            int length = utf8Length(recipient.toString()) + 1;
            if (chunk.size() > 0 && (chunk.size() >= size || bytes + length > MAX_RECIPIENT_BYTES)) {
                bodies.add(body(json, broadcastId, firstSeq + bodies.size(), since, chunk));
                chunk = json.createArrayNode();
                bytes = 0;
            }
            chunk.add(recipient);
            bytes += length;
        }
        if (chunk.size() > 0) {
            bodies.add(body(json, broadcastId, firstSeq + bodies.size(), since, chunk));
        }
        return bodies;
    }

    static String body(ObjectMapper json, String broadcastId, int seq, long since, ArrayNode recipients) {
        ObjectNode root = json.createObjectNode();
        ObjectNode chunk = root.putObject("chunk");
        chunk.put("broadcast", broadcastId).put("seq", seq).put("since", since).set("recipients", recipients);
        return root.toString();
    }

    static boolean isChunk(JsonNode body) {
        return body != null && body.isObject() && body.has("chunk");
    }

    /**
     * Where in this recipient a character sits that an SQS message cannot carry (U+FFFE, U+FFFF, or
     * half a surrogate pair, which JSON's {@code \\u} escapes can make): the path of the first such
     * field name or value, from {@code at}. SQS refuses the whole SendMessageBatch for one of them,
     * so a recipient carrying one is refused alone, before anything is queued.
     */
    static Optional<String> unsendable(JsonNode node, String at) {
        if (node.isTextual()) {
            return sendable(node.textValue()) ? Optional.empty() : Optional.of(at);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = unsendable(node.get(i), at + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!sendable(field.getKey())) {
                return Optional.of(at + " (a field name)");
            }
            // Named as the readers name a caller's key: this path is logged and written to the failures report.
            Optional<String> found = unsendable(field.getValue(), at + "." + Masking.name(field.getKey()));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The message for a field {@link #unsendable} found. */
    static final String UNSENDABLE = "holds a character a queue message cannot carry (U+FFFE, U+FFFF, or half a surrogate "
            + "pair); nothing of it was queued";

    /**
     * Whether SQS takes this text: it allows #x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD and
     * #x10000 to #x10FFFF. Control characters below #x20 never reach it raw, since JSON escapes them.
     */
    static boolean sendable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFE' || c == '\uFFFF' || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** The length of the text in UTF-8, counted without encoding it. */
    static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
