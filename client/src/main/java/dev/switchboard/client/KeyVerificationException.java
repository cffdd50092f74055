package dev.switchboard.client;

/**
 * The keys the gateway showed for a number could not be trusted: a signature that does not verify,
 * devices that do not match the signed device list, a device list older than one already seen (a
 * rollback), two different lists with the same version, an answer that is not well-formed, or (when a primary publishes its list) a device it
 * never approved. Nothing from such an answer is used or
 * remembered; the message says which check failed for which number and device.
 */
public final class KeyVerificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Which kind of check failed. */
    public enum Reason {
        /** A device's encryption key signature or the device list signature does not verify. */
        BAD_SIGNATURE,
        /** The devices, the signed list and the account key do not agree with each other. */
        MISMATCH,
        /** The signed device list is older than the highest version already seen for the number. */
        ROLLBACK,
        /** A key, signature or field is missing or has the wrong shape. */
        MALFORMED,
        /**
         * Publishing a device list: the gateway shows a device its primary never approved, so the
         * primary will not vouch for it with the account key.
         */
        UNAPPROVED,
        /**
         * Two different device lists signed with one version: the account key never signs two, so
         * somebody (the gateway, most likely) shows different lists to different devices, or
         * replays a list this primary replaced. Nothing is remembered or signed.
         */
        EQUIVOCATION
    }

    private final String number;
    private final Reason reason;

    public KeyVerificationException(String number, Reason reason, String message) {
        super(message);
        this.number = number;
        this.reason = reason;
    }

    /** The number whose keys were refused. */
    public String number() {
        return number;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "KeyVerificationException[" + reason + " " + number + ": " + getMessage() + "]";
    }
}
