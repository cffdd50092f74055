package dev.switchboard.client;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.XECPrivateKey;

/** The raw 32-byte private keys the crypto module works with, out of the JDK's key objects. */
final class RawKeys {

    private RawKeys() {
    }

    /** The Ed25519 identity private key of {@code keys}, 32 bytes (RFC 8032). */
    static byte[] identityPrivate(DeviceKeys keys) {
        PrivateKey key = keys.identity().getPrivate();
        if (key instanceof EdECPrivateKey edec) {
            return edec.getBytes().orElseThrow(() -> new IllegalStateException("the identity private key is not extractable"));
        }
        throw new IllegalStateException("the identity private key is not an Ed25519 key: " + key.getAlgorithm());
    }

    /** The X25519 private scalar of {@code pair}, 32 bytes (RFC 7748). */
    static byte[] encryptionPrivate(KeyPair pair) {
        PrivateKey key = pair.getPrivate();
        if (key instanceof XECPrivateKey xec) {
            return xec.getScalar().orElseThrow(() -> new IllegalStateException("the encryption private key is not extractable"));
        }
        throw new IllegalStateException("the encryption private key is not an X25519 key: " + key.getAlgorithm());
    }
}
