package dev.switchboard.client;

import dev.switchboard.crypto.RawKeyPair;
import java.time.Instant;
import java.util.Objects;

/**
 * A pending link request as the new device holds it. {@code secret} is the server's collection
 * credential (only this device may ask for the approval and complete it); {@code linkingSecret} and
 * the {@code ephemeral} key pair never leave this device except through the QR code ({@link #qr()}),
 * which is how the primary seals the provisioning message to it. {@code deviceId} is the id the
 * server reserved for this device, {@code keys} the device's own keys.
 */
public record LinkRequest(String linkId, String deviceId, String secret, Instant expiresAt, DeviceKeys keys,
        RawKeyPair ephemeral, byte[] linkingSecret) {

    public LinkRequest {
        Objects.requireNonNull(linkId, "linkId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(ephemeral, "ephemeral");
        linkingSecret = Objects.requireNonNull(linkingSecret, "linkingSecret").clone();
    }

    @Override
    public byte[] linkingSecret() {
        return linkingSecret.clone();
    }

    /** The text of the QR code the primary scans. It holds the linking secret: show it, never log it. */
    public String qr() {
        return new LinkQr(linkId, Base64Url.encode(ephemeral.publicKey()), keys.identityKeyB64(), Base64Url.encode(linkingSecret)).text();
    }

    @Override
    public String toString() {
        return "LinkRequest[linkId=" + linkId + ", deviceId=" + deviceId + ", secret=[REDACTED], linkingSecret=[REDACTED], expiresAt="
                + expiresAt + "]";
    }
}
