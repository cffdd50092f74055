package dev.switchboard.client;

import dev.switchboard.crypto.Canonical;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Objects;

/**
 * A device's long-lived key pairs: Ed25519 to sign (identity, {@code IKsig}) and X25519 to agree on
 * keys (encryption, {@code IKenc}). The gateway stores the public halves with the identity key's
 * signature over the encryption key ({@link #encryptionKeySignature()}); the private halves never
 * leave the device.
 */
public record DeviceKeys(KeyPair identity, KeyPair encryption) {

    /** Both curves encode a public key as 32 raw bytes at the end of the X.509 SubjectPublicKeyInfo. */
    static final int RAW_KEY_BYTES = 32;

    /** The id of a device's first encryption key; a rotation gives the new key another one. */
    public static final String FIRST_ENCRYPTION_KEY_ID = "1";

    public DeviceKeys {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(encryption, "encryption");
    }

    public static DeviceKeys generate() {
        return new DeviceKeys(generatePair("Ed25519"), generatePair("X25519"));
    }

    /**
     * A one-off X25519 pair for a link request. The primary will encrypt the provisioning message to
     * its public half once end-to-end encryption lands, so it must not be reused across requests.
     */
    public static KeyPair generateEphemeral() {
        return generatePair("X25519");
    }

    public String identityKeyB64() {
        return rawPublicKeyB64(identity.getPublic());
    }

    public String encryptionKeyB64() {
        return rawPublicKeyB64(encryption.getPublic());
    }

    /** The raw 32-byte Ed25519 identity public key; for the primary, the number's account key. */
    public byte[] rawIdentityKey() {
        return rawPublicKey(identity.getPublic());
    }

    /** The raw 32-byte X25519 encryption public key. */
    public byte[] rawEncryptionKey() {
        return rawPublicKey(encryption.getPublic());
    }

    /**
     * The identity key's Ed25519 signature (64 bytes) over this device's encryption key, the
     * statement {@link Canonical#encryptionKeyStatement} ({@code "sb.enc.v1" || bytes(IKenc_pub)}):
     * what the gateway and other devices check before trusting the encryption key.
     */
    public byte[] encryptionKeySignature() {
        return sign(Canonical.encryptionKeyStatement(rawEncryptionKey()));
    }

    /** {@link #encryptionKeySignature()} in base64url without padding, as the API carries it. */
    public String encryptionKeySignatureB64() {
        return Base64Url.encode(encryptionKeySignature());
    }

    /** The same identity with a fresh encryption key pair, for a rotation. */
    public DeviceKeys withNewEncryptionKey() {
        return new DeviceKeys(identity, generatePair("X25519"));
    }

    /** An Ed25519 signature (64 bytes) by the identity key. */
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(identity.getPrivate());
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** The raw 32-byte public key, as the API wants it, from a JDK Ed25519 or X25519 key. */
    public static byte[] rawPublicKey(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki == null || spki.length < RAW_KEY_BYTES) {
            throw new IllegalArgumentException("not an Ed25519/X25519 public key: " + key.getAlgorithm());
        }
        return Arrays.copyOfRange(spki, spki.length - RAW_KEY_BYTES, spki.length);
    }

    public static String rawPublicKeyB64(PublicKey key) {
        return Base64Url.encode(rawPublicKey(key));
    }

    @Override
    public String toString() {
        return "DeviceKeys[identity=" + identityKeyB64() + ", encryption=" + encryptionKeyB64() + "]";
    }

    private static KeyPair generatePair(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JDK", e);
        }
    }
}
