package dev.switchboard.client;

import java.util.Objects;

/**
 * The text a link QR code carries, {@code sblink:2:<linkId>:<ephemeralKey>:<identityKey>:<linkingSecret>}
 * (keys and secret in base64url). The new device builds it itself: the linking secret goes only
 * through the QR code, never to the server, so only whoever saw the code can seal the provisioning
 * message to it. Parsing is strict on purpose: a primary that approves whatever a camera read would
 * hand the account to any QR code put in front of it.
 *
 * @param linkId        the link request's id
 * @param ephemeralKey  the new device's one-off X25519 key the provisioning is sealed to
 * @param identityKey   the new device's Ed25519 identity key, compared with what the server shows
 * @param linkingSecret the 32-byte linking secret, the HPKE PSK of the provisioning message
 */
public record LinkQr(String linkId, String ephemeralKey, String identityKey, String linkingSecret) {

    public static final String PREFIX = "sblink";
    public static final String VERSION = "2";
    /** Bytes of randomness in a linking secret (the HPKE PSK minimum). */
    public static final int LINKING_SECRET_BYTES = 32;

    public LinkQr {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(ephemeralKey, "ephemeralKey");
        Objects.requireNonNull(identityKey, "identityKey");
        Objects.requireNonNull(linkingSecret, "linkingSecret");
    }

    /**
     * @throws IllegalArgumentException unless {@code text} (surrounding whitespace aside) is a
     *     version-2 link text with a non-empty id, two 32-byte base64url keys and a 32-byte secret
     */
    public static LinkQr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no link QR text");
        }
        String[] fields = text.strip().split(":", -1);
        if (fields.length < 2 || !PREFIX.equals(fields[0])) {
            throw new IllegalArgumentException("not a Switchboard link QR code (expected sblink:2:...)");
        }
        if (!VERSION.equals(fields[1])) {
            throw new IllegalArgumentException("unsupported link QR version " + fields[1] + "; this client understands " + VERSION
                    + " (update the device that shows the code)");
        }
        if (fields.length != 6) {
            throw new IllegalArgumentException("not a Switchboard link QR code (expected sblink:2:<linkId>:<ephemeralKey>:<identityKey>:<secret>)");
        }
        String linkId = fields[2];
        // Ids are opaque, but this one goes into a URL path: accept exactly the unreserved characters.
        if (!linkId.matches("[A-Za-z0-9._~-]+")) {
            throw new IllegalArgumentException("link QR code has an invalid link id: " + linkId);
        }
        // Never echo the secret field: error messages end up in terminals and logs.
        requireRaw(fields[3], DeviceKeys.RAW_KEY_BYTES, "ephemeral key");
        requireRaw(fields[4], DeviceKeys.RAW_KEY_BYTES, "identity key");
        requireRaw(fields[5], LINKING_SECRET_BYTES, "linking secret");
        return new LinkQr(linkId, fields[3], fields[4], fields[5]);
    }

    /** The QR text again. It holds the linking secret: show it, never log it. */
    public String text() {
        return PREFIX + ":" + VERSION + ":" + linkId + ":" + ephemeralKey + ":" + identityKey + ":" + linkingSecret;
    }

    public byte[] rawEphemeralKey() {
        return Base64Url.decode(ephemeralKey);
    }

    public byte[] rawIdentityKey() {
        return Base64Url.decode(identityKey);
    }

    public byte[] rawLinkingSecret() {
        return Base64Url.decode(linkingSecret);
    }

    @Override
    public String toString() {
        return "LinkQr[linkId=" + linkId + ", ephemeralKey=" + ephemeralKey + ", identityKey=" + identityKey
                + ", linkingSecret=[REDACTED]]";
    }

    private static void requireRaw(String b64, int length, String what) {
        int decoded;
        try {
            decoded = b64.matches("[A-Za-z0-9_-]+") ? Base64Url.decode(b64).length : -1;
        } catch (IllegalArgumentException e) {
            decoded = -1;
        }
        if (decoded != length || !Base64Url.encode(Base64Url.decode(b64)).equals(b64)) {
            throw new IllegalArgumentException("link QR code has an invalid " + what);
        }
    }
}
