package dev.switchboard.client;

import java.util.Objects;

/**
 * What a new companion learned, checked, from the primary's sealed provisioning message: its
 * number, the account key (base64url) that signed its keys and the device list, that list's
 * version and the SHA-256 of its canonical bytes (base64url, null when not known), and where to
 * find the primary's history bundle (null when none was sent).
 */
public record Provisioning(String number, String accountKey, long listVersion, String listDigest, HistoryPointer history) {

    public Provisioning {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(accountKey, "accountKey");
    }

    /** Without the list's digest. */
    public Provisioning(String number, String accountKey, long listVersion, HistoryPointer history) {
        this(number, accountKey, listVersion, null, history);
    }

    public byte[] rawAccountKey() {
        return Base64Url.decode(accountKey);
    }

    /**
     * Seeds {@code trust} with this number's account key, list version and list digest, as verified
     * through the QR channel: from now on an older list, another list with the same version, or
     * another account key for the number is reported.
     */
    public void trust(TrustStore trust) {
        trust.accept(number, rawAccountKey(), listVersion, listDigest == null ? null : Base64Url.decode(listDigest));
    }
}
