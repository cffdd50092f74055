package dev.switchboard.client;

import java.util.Objects;

/**
 * What a new companion learned, checked, from the primary's sealed provisioning message: its
 * number, the account key (base64url) that signed its keys and the device list, that list's
 * version, and where to find the primary's history bundle (null when none was sent).
 */
public record Provisioning(String number, String accountKey, long listVersion, HistoryPointer history) {

    public Provisioning {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(accountKey, "accountKey");
    }

    public byte[] rawAccountKey() {
        return Base64Url.decode(accountKey);
    }

    /**
     * Seeds {@code trust} with this number's account key and list version, as verified through the
     * QR channel: from now on an older list or another account key for the number is reported.
     */
    public void trust(TrustStore trust) {
        trust.accept(number, rawAccountKey(), listVersion);
    }
}
