package wxsend.push;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Everything a push must pass before it is believed: a fresh timestamp, WeChat's signature under
 * the app's Token (compared in constant time), and in safe mode the message signature, a
 * ciphertext that opens under the app's key and names the path's appid. Each refusal is a
 * {@link PushRefused}; nothing is forwarded before all of it holds. Blocks on SSM the first time
 * an app is seen: call it off the event loop.
 */
@ApplicationScoped
class PushVerifier {

    /** A push that passed: what EventBridge gets, and what tells WeChat's retries of it apart. */
    record Verified(String appid, String detailType, ObjectNode message) {
    }

    /** WeChat's MsgType and Event values; anything else is no detail-type EventBridge should route on. */
    private static final Pattern DETAIL_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final PushCredentials credentials;
    private final PushParser parser;
    private final Clock clock;
    private final Duration maxSkew;

    PushVerifier(PushCredentials credentials, ObjectMapper json, Clock clock, PushConfig config) {
        this.credentials = credentials;
        this.parser = new PushParser(json);
        this.clock = clock;
        this.maxSkew = config.maxSkew();
    }

    /** GET: the console's check of the URL. Answers echostr only under a good signature. */
    String echo(String appid, Map<String, String> query) {
        String echostr = required(query, "echostr");
        String token = signedWith(appid, query);
        if (!Signatures.matches(Signatures.sha1(token, query.get("timestamp"), query.get("nonce")), query.get("signature"))) {
            throw PushRefused.unauthorized("signature", "the signature does not match the app's Token");
        }
        return echostr;
    }

    /** POST: plaintext, compatible or safe mode, XML or JSON. */
    Verified verify(String appid, Map<String, String> query, byte[] body) {
        String token = signedWith(appid, query);
        String timestamp = query.get("timestamp");
        String nonce = query.get("nonce");
        String mode = query.getOrDefault("encrypt_type", "raw");
        if (!mode.equals("aes") && !mode.equals("raw")) {
            throw PushRefused.invalid("encrypt_type", "encrypt_type must be aes or raw");
        }
        // WeChat signs the URL in every mode (safe and compatible mode sign the ciphertext as well), so
        // nothing is parsed before a signature over the app's Token has matched.
        String signature = query.get("signature");
        if (signature == null) {
            throw PushRefused.invalid("signature", "signature is required");
        }
        if (!Signatures.matches(Signatures.sha1(token, timestamp, nonce), signature)) {
            throw PushRefused.unauthorized("signature", "the signature does not match the app's Token");
        }
        if (mode.equals("raw") && credentials.encrypted(appid)) {
            // The URL's signature does not cover a plaintext body: anyone who saw one signed URL could post
            // any body under it. An app with an EncodingAESKey takes only pushes whose message is signed.
            throw PushRefused.unauthorized("encrypt_type", "this app's pushes are encrypted (safe or compatible mode): "
                    + "a plaintext push is refused");
        }
        ObjectNode envelope = parser.read(body, "body");
        ObjectNode message = mode.equals("aes") ? open(appid, token, timestamp, nonce, required(query, "msg_signature"), envelope)
                : envelope;
        return new Verified(appid, detailType(message), message);
    }

    private ObjectNode open(String appid, String token, String timestamp, String nonce, String msgSignature, ObjectNode envelope) {
        JsonNode encrypt = envelope.get("Encrypt");
        if (encrypt == null || !encrypt.isTextual() || encrypt.textValue().isBlank()) {
            throw PushRefused.invalid("Encrypt", "encrypt_type=aes needs the body's Encrypt");
        }
        if (!Signatures.matches(Signatures.sha1(token, timestamp, nonce, encrypt.textValue()), msgSignature)) {
            throw PushRefused.unauthorized("msg_signature", "msg_signature does not match the app's Token and Encrypt");
        }
        PushCipher.Opened opened = credentials.cipher(appid).open(encrypt.textValue(), appid);
        return parser.read(opened.message().getBytes(StandardCharsets.UTF_8), "Encrypt");
    }

    /** The checks every request passes first, cheapest first; the app's Token, once it is known to be wanted. */
    private String signedWith(String appid, Map<String, String> query) {
        String timestamp = required(query, "timestamp");
        required(query, "nonce");
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw PushRefused.invalid("timestamp", "timestamp must be whole seconds since 1970");
        }
        Instant now = clock.instant();
        Instant sent = Instant.ofEpochSecond(Math.max(-31_557_014_167_219_200L, Math.min(31_556_889_864_403_199L, seconds)));
        if (Duration.between(sent, now).abs().compareTo(maxSkew) > 0) {
            // A replayed capture of a real push carries a real signature: its age is what gives it away.
            throw PushRefused.unauthorized("timestamp", "timestamp is more than " + maxSkew.toSeconds() + " s from now");
        }
        return credentials.token(appid);
    }

    private static String detailType(ObjectNode message) {
        String msgType = text(message, "MsgType");
        if (msgType == null) {
            throw PushRefused.invalid("MsgType", "the message has no MsgType");
        }
        String detailType = msgType;
        if (msgType.equals("event")) {
            detailType = text(message, "Event");
            if (detailType == null) {
                throw PushRefused.invalid("Event", "an event has no Event");
            }
        }
        if (!DETAIL_TYPE.matcher(detailType).matches()) {
            throw PushRefused.invalid(msgType.equals("event") ? "Event" : "MsgType",
                    "MsgType and Event are letters, digits, '_', '.', ':' or '-', at most 128");
        }
        return detailType;
    }

    static String text(ObjectNode message, String field) {
        JsonNode value = message.get(field);
        return value == null || value.isContainerNode() || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static String required(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            throw PushRefused.invalid(name, name + " is required");
        }
        return value;
    }
}
