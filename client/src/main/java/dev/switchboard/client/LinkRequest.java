package dev.switchboard.client;

import java.time.Instant;

/**
 * A pending link request as the new device sees it. {@code secret} lets only this device collect
 * the token once the primary approves; {@code qr} is the text the primary scans.
 */
public record LinkRequest(String linkId, String secret, String qr, Instant expiresAt) {

    @Override
    public String toString() {
        return "LinkRequest[linkId=" + linkId + ", secret=[REDACTED], qr=" + qr + ", expiresAt=" + expiresAt + "]";
    }
}
