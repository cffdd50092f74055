package dev.switchboard.client;

import java.util.Objects;

/**
 * The text a link QR code carries, {@code sblink:1:<linkId>:<ephemeralKey>}. Parsing is strict on
 * purpose: a primary that approves whatever a camera read would hand the account to any QR code
 * put in front of it.
 */
public record LinkQr(String linkId, String ephemeralKey) {

    public static final String PREFIX = "sblink";
    public static final String VERSION = "1";

    public LinkQr {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(ephemeralKey, "ephemeralKey");
    }

    /**
     * @throws IllegalArgumentException unless {@code text} (surrounding whitespace aside) is a
     *     version-1 link text with a non-empty id and a 32-byte base64url ephemeral key
     */
    public static LinkQr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no link QR text");
        }
        String[] fields = text.strip().split(":", -1);
        if (fields.length != 4 || !PREFIX.equals(fields[0])) {
            throw new IllegalArgumentException("not a Switchboard link QR code (expected sblink:1:<linkId>:<key>): " + text);
        }
        if (!VERSION.equals(fields[1])) {
            throw new IllegalArgumentException("unsupported link QR version " + fields[1] + "; this client understands " + VERSION);
        }
        String linkId = fields[2];
        // Ids are opaque, but this one goes into a URL path: accept exactly the unreserved characters.
        if (!linkId.matches("[A-Za-z0-9._~-]+")) {
            throw new IllegalArgumentException("link QR code has an invalid link id: " + linkId);
        }
        String key = fields[3];
        if (!key.matches("[A-Za-z0-9_-]+") || decodedLength(key) != DeviceKeys.RAW_KEY_BYTES) {
            throw new IllegalArgumentException("link QR code has an invalid ephemeral key: " + key);
        }
        return new LinkQr(linkId, key);
    }

    /** The QR text again, as the primary signs over its parts. */
    public String text() {
        return PREFIX + ":" + VERSION + ":" + linkId + ":" + ephemeralKey;
    }

    private static int decodedLength(String b64) {
        try {
            return Base64Url.decode(b64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
