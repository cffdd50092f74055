package dev.switchboard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContentCipherTest {

    private static final byte[] HEADER = "msg-1|+39061|phone|+1415|1767225600000|3|5".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripWithAFreshNonceEachTime() {
        byte[] key = ContentCipher.newKey();
        assertEquals(32, key.length);
        byte[] payload = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

        byte[] first = ContentCipher.encrypt(key, payload, HEADER);
        byte[] second = ContentCipher.encrypt(key, payload, HEADER);
        assertEquals(12 + payload.length + 16, first.length, "nonce || ciphertext || tag");
        assertFalse(Arrays.equals(Arrays.copyOf(first, 12), Arrays.copyOf(second, 12)), "fresh nonce");
        assertArrayEquals(payload, ContentCipher.decrypt(key, first, HEADER));
        assertArrayEquals(payload, ContentCipher.decrypt(key, second, HEADER));
        assertArrayEquals(new byte[0], ContentCipher.decrypt(key, ContentCipher.encrypt(key, new byte[0], null), null));
        assertArrayEquals(payload, ContentCipher.decrypt(key, ContentCipher.encrypt(key, payload, null), new byte[0]),
                "null aad is empty aad");
    }

    @Test
    void anyChangeIsDetected() {
        byte[] key = ContentCipher.newKey();
        byte[] sealed = ContentCipher.encrypt(key, new byte[100], HEADER);
        for (int i = 0; i < sealed.length; i += 5) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x40;
            assertThrows(CryptoException.class, () -> ContentCipher.decrypt(key, tampered, HEADER), "byte " + i);
        }
        byte[] otherHeader = HEADER.clone();
        otherHeader[0] ^= 1;
        assertThrows(CryptoException.class, () -> ContentCipher.decrypt(key, sealed, otherHeader), "header");
        assertThrows(CryptoException.class, () -> ContentCipher.decrypt(ContentCipher.newKey(), sealed, HEADER), "key");
        assertThrows(CryptoException.class,
                () -> ContentCipher.decrypt(key, Arrays.copyOf(sealed, sealed.length - 1), HEADER), "truncated");
        assertThrows(CryptoException.class, () -> ContentCipher.decrypt(key, new byte[27], HEADER), "too short");
    }

    @Test
    void keysMustBe32Bytes() {
        assertThrows(CryptoException.class, () -> ContentCipher.encrypt(new byte[16], new byte[1], null));
        assertThrows(CryptoException.class, () -> ContentCipher.decrypt(null, new byte[40], null));
    }
}
