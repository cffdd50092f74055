package dev.switchboard.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 signatures (RFC 8032, pure Ed25519: no context, no pre-hash) on raw keys: the private
 * key is the 32-byte seed, the public key the 32-byte encoded point, a signature 64 bytes. Used for
 * device identity keys ({@code IKsig}) and, on the primary, the number's account key.
 */
public final class Ed25519 {

    public static final int PRIVATE_KEY_LENGTH = 32;
    public static final int PUBLIC_KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ed25519() {
    }

    /** A fresh random key pair. */
    public static RawKeyPair generate() {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(RANDOM);
        return new RawKeyPair("Ed25519", key.getEncoded(), key.generatePublicKey().getEncoded());
    }

    /** The public key of a 32-byte private key (seed). */
    public static byte[] publicKeyOf(byte[] privateKey) {
        return privateParameters(privateKey).generatePublicKey().getEncoded();
    }

    /** The 64-byte signature of {@code message}; deterministic, as RFC 8032 specifies. */
    public static byte[] sign(byte[] privateKey, byte[] message) {
        Ed25519PrivateKeyParameters key = privateParameters(privateKey);
        Bytes.requireNonNull(message, "message to sign");
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /**
     * Whether {@code signature} is a valid signature of {@code message} by {@code publicKey}. Any
     * bad signature, including one of the wrong length, and a 32-byte public key that is not a
     * valid point answer {@code false}; only a missing argument or a public key that is not 32
     * bytes (a caller bug, not an attack) throws.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Bytes.requireLength(publicKey, PUBLIC_KEY_LENGTH, "Ed25519 public key");
        Bytes.requireNonNull(message, "signed message");
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        Ed25519PublicKeyParameters key;
        try {
            key = new Ed25519PublicKeyParameters(publicKey);
        } catch (IllegalArgumentException notAPoint) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        try {
            return verifier.verifySignature(signature);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static Ed25519PrivateKeyParameters privateParameters(byte[] privateKey) {
        return new Ed25519PrivateKeyParameters(
                Bytes.requireLength(privateKey, PRIVATE_KEY_LENGTH, "Ed25519 private key"));
    }
}
