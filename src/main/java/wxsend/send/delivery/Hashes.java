package wxsend.send.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The hashes the send path derives: a request's payload hash (its idempotency check), keys derived
 * from content, and template/send's client_msg_id. Map keys are sorted first, so the same content
 * always hashes the same, whatever order its data came in.
 */
@ApplicationScoped
public class Hashes {

    private final ObjectWriter canonical;

    Hashes(ObjectMapper json) {
        this.canonical = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    /** The SHA-256 of the app and the content with its map keys sorted, in hex. */
    public String of(String app, Object content) {
        try {
            return sha256(app + "\n" + canonical.writeValueAsString(content));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write validated content", e);
        }
    }

    /**
     * template/send's own de-duplication key: fixed by the app and idempotency key, so a retry
     * repeats it. A request without a key gets one of its own, which its own retries repeat.
     */
    static String clientMsgId(Job job) {
        return sha256(job.key() == null ? job.app() + "#" + java.util.UUID.randomUUID() : job.recordId()).substring(0, 32);
    }

    /**
     * Looked up once: MessageDigest.getInstance searches the security providers on every call, and
     * a send takes two or three digests. A clone is a fresh digest with no shared state.
     */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The SHA-256 of the text's UTF-8 bytes, in hex: the one digest every derived key and id uses. */
    public static String sha256(String text) {
        try {
            MessageDigest digest = (MessageDigest) SHA_256.clone();
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
