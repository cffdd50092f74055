package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Attachments (e2ee.md: "encrypted on the device with a fresh key, uploaded as opaque media; key and
 * digest travel inside the encrypted message"): AES-256-GCM ({@link ContentCipher}) under a fresh
 * 32-byte key with associated data {@code "sb.att.v1"}, and the SHA-256 of the uploaded ciphertext
 * so a receiver can refuse a swapped or corrupted download before decrypting it.
 */
public final class AttachmentCipher {

    public static final String AAD = "sb.att.v1";
    public static final int DIGEST_LENGTH = 32;

    private static final byte[] AAD_BYTES = AAD.getBytes(US_ASCII);

    private AttachmentCipher() {
    }

    /** An encrypted attachment: its key and the SHA-256 digest of {@code ciphertext}. Arrays are copied. */
    public record Encrypted(byte[] key, byte[] digest, byte[] ciphertext) {

        public Encrypted {
            key = Bytes.requireLength(key, ContentCipher.KEY_LENGTH, "attachment key").clone();
            digest = Bytes.requireLength(digest, DIGEST_LENGTH, "attachment digest").clone();
            ciphertext = Bytes.requireNonNull(ciphertext, "attachment ciphertext").clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Encrypted that
                    && Arrays.equals(key, that.key)
                    && Arrays.equals(digest, that.digest)
                    && Arrays.equals(ciphertext, that.ciphertext);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }

        /** Never shows the key. */
        @Override
        public String toString() {
            return "AttachmentCipher.Encrypted[ciphertext=" + ciphertext.length + " bytes]";
        }
    }

    /** Encrypts {@code plaintext} under a fresh key. */
    public static Encrypted encrypt(byte[] plaintext) {
        Bytes.requireNonNull(plaintext, "attachment plaintext");
        byte[] key = ContentCipher.newKey();
        try {
            byte[] ciphertext = ContentCipher.encrypt(key, plaintext, AAD_BYTES);
            return new Encrypted(key, Wire.sha256(ciphertext), ciphertext);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The plaintext, after checking (in constant time) that {@code ciphertext} has the SHA-256
     * {@code digest}; {@link CryptoException} on a digest mismatch or a failed decryption.
     */
    public static byte[] decrypt(byte[] key, byte[] digest, byte[] ciphertext) {
        Bytes.requireLength(key, ContentCipher.KEY_LENGTH, "attachment key");
        Bytes.requireLength(digest, DIGEST_LENGTH, "attachment digest");
        Bytes.requireNonNull(ciphertext, "attachment ciphertext");
        if (!MessageDigest.isEqual(Wire.sha256(ciphertext), digest)) {
            throw new CryptoException("attachment digest does not match its ciphertext");
        }
        try {
            return ContentCipher.decrypt(key, ciphertext, AAD_BYTES);
        } catch (CryptoException e) {
            throw new CryptoException("attachment does not decrypt: wrong key or altered content", e);
        }
    }
}
