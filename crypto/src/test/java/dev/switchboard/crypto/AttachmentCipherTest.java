package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AttachmentCipherTest {

    private static final byte[] PHOTO = new byte[5000];

    static {
        for (int i = 0; i < PHOTO.length; i++) {
            PHOTO[i] = (byte) (i * 31);
        }
    }

    @Test
    void encryptThenDecryptGivesThePlaintext() {
        AttachmentCipher.Encrypted encrypted = AttachmentCipher.encrypt(PHOTO);
        assertEquals(32, encrypted.key().length);
        assertArrayEquals(Wire.sha256(encrypted.ciphertext()), encrypted.digest());
        assertArrayEquals(PHOTO,
                AttachmentCipher.decrypt(encrypted.key(), encrypted.digest(), encrypted.ciphertext()));

        AttachmentCipher.Encrypted empty = AttachmentCipher.encrypt(new byte[0]);
        assertArrayEquals(new byte[0], AttachmentCipher.decrypt(empty.key(), empty.digest(), empty.ciphertext()));
    }

    @Test
    void everyAttachmentGetsAFreshKey() {
        AttachmentCipher.Encrypted first = AttachmentCipher.encrypt(PHOTO);
        AttachmentCipher.Encrypted second = AttachmentCipher.encrypt(PHOTO);
        assertFalse(Arrays.equals(first.key(), second.key()));
        assertFalse(Arrays.equals(first.digest(), second.digest()));
    }

    @Test
    void aDigestMismatchIsRefusedBeforeDecrypting() {
        AttachmentCipher.Encrypted encrypted = AttachmentCipher.encrypt(PHOTO);
        byte[] badDigest = encrypted.digest();
        badDigest[31] ^= 1;
        CryptoException e = assertThrows(CryptoException.class,
                () -> AttachmentCipher.decrypt(encrypted.key(), badDigest, encrypted.ciphertext()));
        assertTrue(e.getMessage().contains("digest does not match"), e.getMessage());

        byte[] swapped = encrypted.ciphertext();
        swapped[100] ^= 1;
        e = assertThrows(CryptoException.class,
                () -> AttachmentCipher.decrypt(encrypted.key(), encrypted.digest(), swapped));
        assertTrue(e.getMessage().contains("digest does not match"), e.getMessage());
    }

    @Test
    void aWrongKeyDoesNotDecrypt() {
        AttachmentCipher.Encrypted encrypted = AttachmentCipher.encrypt(PHOTO);
        CryptoException e = assertThrows(CryptoException.class,
                () -> AttachmentCipher.decrypt(ContentCipher.newKey(), encrypted.digest(), encrypted.ciphertext()));
        assertTrue(e.getMessage().contains("does not decrypt"), e.getMessage());
    }

    @Test
    void contentEncryptedForAnotherPurposeDoesNotDecryptAsAnAttachment() {
        byte[] key = ContentCipher.newKey();
        byte[] notAnAttachment = ContentCipher.encrypt(key, PHOTO, "sb.hist.v1".getBytes(US_ASCII));
        assertThrows(CryptoException.class,
                () -> AttachmentCipher.decrypt(key, Wire.sha256(notAnAttachment), notAnAttachment));
        byte[] asAttachment = ContentCipher.encrypt(key, PHOTO, "sb.att.v1".getBytes(US_ASCII));
        assertArrayEquals(PHOTO, AttachmentCipher.decrypt(key, Wire.sha256(asAttachment), asAttachment));
    }

    @Test
    void malformedArgumentsAreRefused() {
        AttachmentCipher.Encrypted encrypted = AttachmentCipher.encrypt(PHOTO);
        assertThrows(CryptoException.class, () -> AttachmentCipher.encrypt(null));
        assertThrows(CryptoException.class,
                () -> AttachmentCipher.decrypt(new byte[16], encrypted.digest(), encrypted.ciphertext()));
        assertThrows(CryptoException.class,
                () -> AttachmentCipher.decrypt(encrypted.key(), new byte[31], encrypted.ciphertext()));
        assertThrows(CryptoException.class, () -> AttachmentCipher.decrypt(encrypted.key(), encrypted.digest(), null));
        assertFalse(encrypted.toString().contains(Hex.hex(encrypted.key())), "toString never shows the key");
    }
}
