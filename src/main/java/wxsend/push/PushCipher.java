package wxsend.push;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's safe mode: AES-256-CBC under the key that EncodingAESKey encodes, with the key's first
 * 16 bytes as IV and PKCS#7 padding to 32-byte blocks. The JDK's PKCS5Padding pads to AES's own
 * 16-byte block, so a pad of 17 to 32 bytes would be refused by it: the pad is checked here.
 * The plaintext is 16 random bytes, the message's length (4 bytes, big-endian), the message, and
 * the appid of the account it is for.
 */
final class PushCipher {

    /** What the ciphertext held. */
    record Opened(String message, String appid) {
    }

    private static final int BLOCK = 32;
    private static final int RANDOM = 16;

    private final SecretKeySpec key;
    private final IvParameterSpec iv;

    private PushCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        this.iv = new IvParameterSpec(Arrays.copyOf(key, 16));
    }

    /**
     * @param where the variable or parameter the key came from, named when it is not an EncodingAESKey
     * @throws IllegalArgumentException naming {@code where}, never quoting the key
     */
    static PushCipher of(String encodingAesKey, String where) {
        String problem = where + " must be the console's EncodingAESKey: 43 letters and digits (Base64 of a 32-byte AES key)";
        if (encodingAesKey == null || encodingAesKey.length() != 43) {
            throw new IllegalArgumentException(problem + ", not " + (encodingAesKey == null ? 0 : encodingAesKey.length())
                    + " characters");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encodingAesKey + "=");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(problem + "; it is not Base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(problem + "; it decodes to " + key.length + " bytes");
        }
        return new PushCipher(key);
    }

    /**
     * @throws PushRefused 400 when {@code encrypted} is not Base64 of whole blocks; 401 when it does
     *         not open under this key (a pad or a length that cannot be) or is for another appid
     */
    Opened open(String encrypted, String expectedAppid) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(encrypted.strip());
        } catch (IllegalArgumentException e) {
            throw PushRefused.invalid("Encrypt", "Encrypt is not Base64");
        }
        if (sealed.length == 0 || sealed.length % BLOCK != 0) {
            throw PushRefused.invalid("Encrypt", "Encrypt is not a whole number of 32-byte blocks");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, iv);
            plain = cipher.doFinal(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC/NoPadding is in every JDK", e);
        }
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || !padded(plain, pad)) {
            throw PushRefused.unauthorized("Encrypt", "Encrypt does not open under the app's EncodingAESKey");
        }
        int end = plain.length - pad;
        if (end < RANDOM + 4) {
            throw PushRefused.unauthorized("Encrypt", "Encrypt holds no message");
        }
        int length = ByteBuffer.wrap(plain, RANDOM, 4).getInt();
        int from = RANDOM + 4;
        if (length < 0 || length > end - from) {
            throw PushRefused.unauthorized("Encrypt", "Encrypt does not open under the app's EncodingAESKey");
        }
        String appid = new String(plain, from + length, end - from - length, StandardCharsets.UTF_8);
        if (!appid.equals(expectedAppid)) {
            // Not quoted: a push meant for another account tells nothing to whoever replays it here.
            throw PushRefused.unauthorized("Encrypt", "the message inside Encrypt is for another appid than the path's");
        }
        return new Opened(new String(plain, from, length, StandardCharsets.UTF_8), appid);
    }

    /** Whether the last {@code pad} bytes all say {@code pad}, looked at whole (no early exit on a wrong one). */
    private static boolean padded(byte[] plain, int pad) {
        int wrong = 0;
        for (int i = plain.length - pad; i < plain.length; i++) {
            wrong |= (plain[i] & 0xff) ^ pad;
        }
        return wrong == 0;
    }
}
