package dev.switchboard.inbox.devices;

import dev.switchboard.inbox.InboxException;
import java.util.Base64;

/** Shape checks for device public keys: base64url of 32 raw bytes (Ed25519 and X25519 alike). */
final class PublicKeys {
    private PublicKeys() {}

    static String require(String field, String value) {
        decode(field, value, 32, "a 32-byte public key");
        return value;
    }

    /** The raw bytes of a base64url field that must be {@code length} bytes long ({@code what} names them in the error). */
    static byte[] decode(String field, String value, int length, String what) {
        if (value == null) {
            throw new InboxException(InboxException.Kind.INVALID, "missing_field", field + ": required");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw InboxException.invalid(field, "must be base64url");
        }
        if (raw.length != length) {
            throw InboxException.invalid(field, "must be " + what);
        }
        // One spelling per key: padding or stray low bits would make equal keys compare unequal as text.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(value)) {
            throw InboxException.invalid(field, "must be canonical base64url without padding");
        }
        return raw;
    }
}
