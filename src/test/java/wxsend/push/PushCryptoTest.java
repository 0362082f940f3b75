package wxsend.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WeChat's signature and safe-mode cipher against one fixed vector, computed once outside Java
 * (openssl enc -aes-256-cbc -nopad on the plaintext laid out by hand, Python's hashlib for SHA-1)
 * and written out here: the simulator the endpoint tests use, and wxsend's own code, both meet it.
 */
@Tag("unit")
class PushCryptoTest {

    static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String APPID = "wx0000000000000001";
    static final byte[] RANDOM = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final String MESSAGE = "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA["
            + "oVectorOpenid0000000000000001]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]>"
            + "</MsgType><Content><![CDATA[hello]]></Content><MsgId>1234567890123456</MsgId></xml>";
    static final String ENCRYPTED = "Q3stYC6hdFzMh9T8HCvyDEyyIo7SrfCU7qIY00FhmKzxLhwDU4yRHtC29SoooV3tqzu845Di3fJxjyUD+4kbEMrgphd5dT44"
            + "Jp2aevb8qvg2j0HMJqLFFZoTjsqGIgIbsCPL/Y1xYIJBGi79m7GChAd+hp1GB+fcQAX9aOwzYxK7Bq5HkRvI+w/udUOs6qldepsXZR4a+tc16oLvI7vy"
            + "AYggdTRbwpfMlfpzq5LLv+cmnnUY57WJJBiXk3J0L0x1CGI1YJ+gaJn13NN4a+j6iVHualkQAdawDXNg6zISC2Gs9kMDKqPeizoufpm57JW7csRnya0x"
            + "fcijHfepjsb1wmGrI33PtQPm+nKmmIZEuqZ7zDD74jV8qlw8o16XAU4PfvdeHrWEApGJPCH5JqcwbaT0NGvondb7ilZWthPHqQU=";
    static final String TOKEN = "wxsendVectorToken";
    static final String SIGNATURE = "310c52a2ad06260566a0047250805a1187e674c0";
    static final String MSG_SIGNATURE = "0a719b208874e2306069d81359e02b7843e3c7d6";

    private final PushSimulator wechat = new PushSimulator(APPID, TOKEN, KEY);

    @Test
    void theSimulatorMeetsTheFixedVector() {
        assertEquals(ENCRYPTED, wechat.encrypt(RANDOM, MESSAGE, APPID));
        assertEquals(SIGNATURE, PushSimulator.sha1(TOKEN, "1700000000", "nonce123"));
        assertEquals(MSG_SIGNATURE, PushSimulator.sha1(TOKEN, "1700000000", "nonce123", ENCRYPTED));
    }

    @Test
    void wxsendSignsAndOpensTheFixedVector() {
        assertEquals(SIGNATURE, Signatures.sha1("nonce123", TOKEN, "1700000000"));
        assertEquals(MSG_SIGNATURE, Signatures.sha1(TOKEN, "1700000000", "nonce123", ENCRYPTED));
        PushCipher.Opened opened = PushCipher.of(KEY, "WECHAT_PUSH_AES_KEY").open(ENCRYPTED, APPID);
        assertEquals(MESSAGE, opened.message());
        assertEquals(APPID, opened.appid());
    }

    @Test
    void signaturesCompareWhole() {
        assertTrue(Signatures.matches(SIGNATURE, SIGNATURE));
        assertTrue(Signatures.matches(SIGNATURE, SIGNATURE.toUpperCase()), "hex in either case");
        assertFalse(Signatures.matches(SIGNATURE, SIGNATURE.substring(0, 39)));
        assertFalse(Signatures.matches(SIGNATURE, SIGNATURE.substring(0, 39) + "1"));
        assertFalse(Signatures.matches(SIGNATURE, null));
    }

    @Test
    void aFullBlockOfPaddingOpens() {
        // 16 + 4 + message + 18 (the appid) = 64: PKCS#7 to 32-byte blocks adds a whole block of 32,
        // which the JDK's PKCS5Padding (16-byte blocks) would refuse.
        String message = "x".repeat(26);
        assertEquals(message, PushCipher.of(KEY, "k").open(wechat.encrypt(RANDOM, message, APPID), APPID).message());
    }

    @Test
    void anotherAppidInsideIsRefused() {
        PushRefused refused = assertThrows(PushRefused.class,
                () -> PushCipher.of(KEY, "k").open(wechat.encrypt(RANDOM, MESSAGE, "wx0000000000000002"), APPID));
        assertEquals(401, refused.status());
        assertEquals("Encrypt", refused.field());
    }

    @Test
    void anotherKeyOrABrokenCiphertextIsRefused() {
        String other = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
        PushRefused wrongKey = assertThrows(PushRefused.class, () -> PushCipher.of(other, "k").open(ENCRYPTED, APPID));
        assertEquals(401, wrongKey.status());
        PushRefused notBase64 = assertThrows(PushRefused.class, () -> PushCipher.of(KEY, "k").open("%%%", APPID));
        assertEquals(400, notBase64.status());
        byte[] sealed = Base64.getDecoder().decode(ENCRYPTED);
        String partBlock = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sealed, sealed.length - 16));
        assertEquals(400, assertThrows(PushRefused.class, () -> PushCipher.of(KEY, "k").open(partBlock, APPID)).status());
    }

    @Test
    void aKeyOfTheWrongLengthIsAConfigurationErrorNamingWhereItCameFrom() {
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> PushCipher.of(KEY.substring(1), "WECHAT_PUSH_AES_KEY"));
        assertTrue(shortKey.getMessage().startsWith("WECHAT_PUSH_AES_KEY must be"), shortKey.getMessage());
        assertTrue(shortKey.getMessage().contains("not 42 characters"), shortKey.getMessage());
        assertFalse(shortKey.getMessage().contains(KEY.substring(1)), "the key is never quoted");
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> PushCipher.of("!".repeat(43), "the parameter /wxsend/apps/wx1/push-aes-key"));
        assertTrue(notBase64.getMessage().contains("/wxsend/apps/wx1/push-aes-key"), notBase64.getMessage());
    }
}
