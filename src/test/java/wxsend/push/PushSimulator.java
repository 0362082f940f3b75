package wxsend.push;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's side of a push, written from its documentation with the JDK's own MessageDigest and
 * Cipher, and none of wxsend's code: signs the URL, and in safe mode encrypts the message
 * (16 random bytes, its length in 4 big-endian bytes, the message, the appid; PKCS#7 to 32-byte
 * blocks; AES-256-CBC under Base64(EncodingAESKey + "="), IV its first 16 bytes).
 */
final class PushSimulator {

    private static final SecureRandom RANDOM = new SecureRandom();

    final String appid;
    final String token;
    final String aesKey;

    PushSimulator(String appid, String token, String aesKey) {
        this.appid = appid;
        this.token = token;
        this.aesKey = aesKey;
    }

    static String sha1(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(String.join("", sorted)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String now() {
        return Long.toString(System.currentTimeMillis() / 1000);
    }

    static String nonce() {
        return UUID.randomUUID().toString().substring(0, 10).replace("-", "");
    }

    /** The query of a GET or a plaintext POST, signed at {@code timestamp} (echostr only when given). */
    Map<String, String> signed(String timestamp, String echostr) {
        Map<String, String> query = new LinkedHashMap<>();
        String nonce = nonce();
        query.put("signature", sha1(token, timestamp, nonce));
        query.put("timestamp", timestamp);
        query.put("nonce", nonce);
        if (echostr != null) {
            query.put("echostr", echostr);
        }
        return query;
    }

    /** The query of a safe- or compatible-mode POST whose body carries {@code encrypt}. */
    Map<String, String> sealed(String timestamp, String encrypt) {
        Map<String, String> query = signed(timestamp, null);
        query.put("openid", "oQueryOpenidNeverRead");
        query.put("encrypt_type", "aes");
        query.put("msg_signature", sha1(token, timestamp, query.get("nonce"), encrypt));
        return query;
    }

    String encrypt(String message) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return encrypt(random, message, appid);
    }

    /** With the random bytes and the appid chosen: the fixed vector, and a message for another app. */
    String encrypt(byte[] random, String message, String forAppid) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] app = forAppid.getBytes(StandardCharsets.UTF_8);
        int length = 16 + 4 + text.length + app.length;
        int pad = 32 - length % 32;
        ByteBuffer plain = ByteBuffer.allocate(length + pad);
        plain.put(random).putInt(text.length).put(text).put(app);
        while (plain.hasRemaining()) {
            plain.put((byte) pad);
        }
        try {
            byte[] key = Base64.getDecoder().decode(aesKey + "=");
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String xmlEnvelope(String encrypt) {
        return "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>";
    }

    static String jsonEnvelope(String encrypt) {
        return "{\"ToUserName\":\"gh_0123456789ab\",\"Encrypt\":\"" + encrypt + "\"}";
    }

    static String textXml(String from, long msgId, String content) {
        return "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[" + from
                + "]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA["
                + content + "]]></Content><MsgId>" + msgId + "</MsgId></xml>";
    }

    static String templateReceiptXml(String from, long createTime, long msgId) {
        return "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[" + from
                + "]]></FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>" + msgId + "</MsgID><Status><![CDATA[success]]></Status></xml>";
    }

    static String subscribeSentJson(String from, long createTime, long msgId) {
        return "{\"ToUserName\":\"gh_0123456789ab\",\"FromUserName\":\"" + from + "\",\"CreateTime\":" + createTime
                + ",\"MsgType\":\"event\",\"Event\":\"subscribe_msg_sent_event\",\"SubscribeMsgSentEvent\":{\"List\":"
                + "{\"TemplateId\":\"tmpl-1\",\"MsgID\":\"" + msgId + "\",\"ErrorCode\":\"0\",\"ErrorStatus\":\"success\"}}}";
    }

    static String textJson(String from, long msgId, String content) {
        return "{\"ToUserName\":\"gh_0123456789ab\",\"FromUserName\":\"" + from + "\",\"CreateTime\":1700000000,"
                + "\"MsgType\":\"text\",\"Content\":\"" + content + "\",\"MsgId\":" + msgId + "}";
    }
}
