package dev.switchboard.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM for message payloads (under the message's content key {@code CK}, header as
 * associated data) and attachments (under a fresh key each). Wire format of {@link #encrypt}:
 * {@code nonce (12 random bytes) || ciphertext || tag (16 bytes)}. A key is meant for one message
 * or one attachment; with random 96-bit nonces it stays safe far beyond that (NIST SP 800-38D:
 * up to 2^32 encryptions per key). {@code aad} may be null, which means empty.
 */
public final class ContentCipher {

    public static final int KEY_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ContentCipher() {
    }

    /** A fresh random 32-byte key. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        return key;
    }

    /** {@code nonce || AES-256-GCM(key, nonce, aad, plaintext) || tag}, with a fresh random nonce. */
    public static byte[] encrypt(byte[] key, byte[] plaintext, byte[] aad) {
        Bytes.requireLength(key, KEY_LENGTH, "content key");
        Bytes.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        GCMModeCipher gcm = gcm(true, key, nonce, aad);
        byte[] out = new byte[NONCE_LENGTH + gcm.getOutputSize(plaintext.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
        try {
            int written = gcm.processBytes(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
            gcm.doFinal(out, NONCE_LENGTH + written);
        } catch (InvalidCipherTextException e) {
            throw new CryptoException("AES-256-GCM encryption failed", e);
        }
        return out;
    }

    /** The plaintext of what {@link #encrypt} produced; {@link CryptoException} if anything was altered. */
    public static byte[] decrypt(byte[] key, byte[] sealed, byte[] aad) {
        Bytes.requireLength(key, KEY_LENGTH, "content key");
        Bytes.requireNonNull(sealed, "sealed content");
        if (sealed.length < NONCE_LENGTH + TAG_LENGTH) {
            throw new CryptoException("sealed content too short: " + sealed.length + " bytes, need at least "
                    + (NONCE_LENGTH + TAG_LENGTH));
        }
        byte[] nonce = Arrays.copyOf(sealed, NONCE_LENGTH);
        GCMModeCipher gcm = gcm(false, key, nonce, aad);
        int bodyLength = sealed.length - NONCE_LENGTH;
        byte[] out = new byte[gcm.getOutputSize(bodyLength)];
        try {
            int written = gcm.processBytes(sealed, NONCE_LENGTH, bodyLength, out, 0);
            gcm.doFinal(out, written);
        } catch (InvalidCipherTextException e) {
            throw new CryptoException("AES-256-GCM decryption failed: wrong key or aad, or the content was altered", e);
        }
        return out;
    }

    private static GCMModeCipher gcm(boolean encrypt, byte[] key, byte[] nonce, byte[] aad) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonce, Bytes.orEmpty(aad)));
        return gcm;
    }
}
