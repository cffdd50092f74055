package dev.switchboard.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * X25519 key agreement (RFC 7748) on raw 32-byte keys, for device encryption keys
 * ({@code IKenc}) and HPKE ephemerals. Private keys are accepted as any 32 bytes and clamped at
 * use, as RFC 7748 specifies, so a clamped and an unclamped encoding of the same scalar agree.
 */
public final class X25519 {

    public static final int KEY_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private X25519() {
    }

    /** A fresh random key pair. */
    public static RawKeyPair generate() {
        X25519PrivateKeyParameters key = new X25519PrivateKeyParameters(RANDOM);
        return new RawKeyPair("X25519", key.getEncoded(), key.generatePublicKey().getEncoded());
    }

    /** The public key ({@code X25519(k, 9)}) of a 32-byte private key. */
    public static byte[] publicKeyOf(byte[] privateKey) {
        return privateParameters(privateKey, "X25519 private key").generatePublicKey().getEncoded();
    }

    /**
     * The 32-byte shared secret {@code X25519(privateKey, peerPublic)}. A peer public key of small
     * order makes it all zero; that is refused (RFC 7748 section 6.1) with a
     * {@link CryptoException}, never returned.
     */
    public static byte[] agree(byte[] privateKey, byte[] peerPublic) {
        X25519PrivateKeyParameters key = privateParameters(privateKey, "X25519 private key");
        X25519PublicKeyParameters peer = new X25519PublicKeyParameters(
                Bytes.requireLength(peerPublic, KEY_LENGTH, "X25519 peer public key"));
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(key);
        byte[] shared = new byte[agreement.getAgreementSize()];
        try {
            agreement.calculateAgreement(peer, shared, 0);
        } catch (IllegalStateException degenerate) {
            throw new CryptoException("X25519 agreement produced the all-zero value (peer key of small order)",
                    degenerate);
        }
        if (Bytes.allZero(shared)) {
            throw new CryptoException("X25519 agreement produced the all-zero value (peer key of small order)");
        }
        return shared;
    }

    static X25519PrivateKeyParameters privateParameters(byte[] privateKey, String what) {
        return new X25519PrivateKeyParameters(Bytes.requireLength(privateKey, KEY_LENGTH, what));
    }

    static X25519PublicKeyParameters publicParameters(byte[] publicKey, String what) {
        return new X25519PublicKeyParameters(Bytes.requireLength(publicKey, KEY_LENGTH, what));
    }
}
