package wxsend.broadcast;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Chunk messages: {@code {"chunk":{"broadcast":id,"seq":n,"recipients":[…]}}}. A chunk holds at
 * most the configured number of recipients and stays well under SQS's message size, whatever
 * data each recipient carries. Its recipients are keyed by the broadcast and themselves, not by
 * the chunk, so a chunk planned or queued twice reaches nobody twice.
 */
final class Chunks {

    /** SQS takes 256 KiB a message (and a whole SendMessageBatch); a chunk keeps below a quarter of that. */
    static final int MAX_BYTES = 60 * 1024;

    private Chunks() {
    }

    static List<String> plan(ObjectMapper json, String broadcastId, Iterable<JsonNode> recipients, int size) {
        return plan(json, broadcastId, recipients, size, 0);
    }

    /** The chunks of these recipients, numbered from {@code firstSeq}. */
    static List<String> plan(ObjectMapper json, String broadcastId, Iterable<JsonNode> recipients, int size, int firstSeq) {
        List<String> bodies = new ArrayList<>();
        ArrayNode chunk = json.createArrayNode();
        int bytes = 0;
        for (JsonNode recipient : recipients) {
            int length = recipient.toString().length();
            if (chunk.size() > 0 && (chunk.size() >= size || bytes + length > MAX_BYTES)) {
                bodies.add(body(json, broadcastId, firstSeq + bodies.size(), chunk));
                chunk = json.createArrayNode();
                bytes = 0;
            }
            chunk.add(recipient);
            bytes += length;
        }
        if (chunk.size() > 0) {
            bodies.add(body(json, broadcastId, firstSeq + bodies.size(), chunk));
        }
        return bodies;
    }

    static String body(ObjectMapper json, String broadcastId, int seq, ArrayNode recipients) {
        return body(json, broadcastId, seq, 0, recipients);
    }

    /**
     * @param part 0 as planned; each time a chunk's unsent recipients go back on the queue, the next
     *        part: a chunk's part is counted once ({@link BroadcastStore#count})
     */
    static String body(ObjectMapper json, String broadcastId, int seq, int part, ArrayNode recipients) {
        ObjectNode root = json.createObjectNode();
        ObjectNode chunk = root.putObject("chunk");
        chunk.put("broadcast", broadcastId).put("seq", seq).put("part", part).set("recipients", recipients);
        return root.toString();
    }

    static boolean isChunk(JsonNode body) {
        return body != null && body.isObject() && body.has("chunk");
    }
}
