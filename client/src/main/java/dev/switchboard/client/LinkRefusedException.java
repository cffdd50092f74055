package dev.switchboard.client;

/**
 * A link this device refuses to go on with, because a check of the link protocol failed: on the
 * primary, the request the server shows does not match the scanned QR code; on the new device, the
 * provisioning message does not open with its linking secret, or what it says (account signature,
 * device list) does not hold. The message says which check failed; it never contains a secret.
 */
public final class LinkRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LinkRefusedException(String message) {
        super(message);
    }

    public LinkRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
