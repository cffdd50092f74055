package dev.switchboard.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Curve25519 key pair as raw 32-byte keys (Ed25519 or X25519, named by {@code algorithm}); both
 * arrays are copied in and out, and the private key never shows in {@link #toString()}.
 */
public record RawKeyPair(String algorithm, byte[] privateKey, byte[] publicKey) {
    public static final int KEY_LENGTH = 32;

    public RawKeyPair {
        privateKey = Bytes.requireLength(privateKey, KEY_LENGTH, algorithm + " private key").clone();
        publicKey = Bytes.requireLength(publicKey, KEY_LENGTH, algorithm + " public key").clone();
    }

    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawKeyPair that && algorithm.equals(that.algorithm)
                && Arrays.equals(privateKey, that.privateKey) && Arrays.equals(publicKey, that.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return algorithm + " key pair[publicKey=" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
