package dev.switchboard.crypto;

/**
 * A cryptographic operation could not be performed: malformed input (a key of the wrong length, a
 * truncated ciphertext), a failed decryption or authentication, or a degenerate key agreement. The
 * message says which; it never contains key material.
 */
public final class CryptoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
