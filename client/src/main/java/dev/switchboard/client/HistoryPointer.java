package dev.switchboard.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a new companion finds its end-to-end history: the media id of the encrypted history bundle
 * its primary uploaded, and the bundle's 32-byte key. It travels inside the sealed provisioning
 * message, so the gateway, which stores the bundle, never has the key. The array is copied in and out.
 */
public record HistoryPointer(String mediaId, byte[] key) {

    public HistoryPointer {
        Objects.requireNonNull(mediaId, "mediaId");
        Objects.requireNonNull(key, "key");
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HistoryPointer that && mediaId.equals(that.mediaId) && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return mediaId.hashCode();
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "HistoryPointer[mediaId=" + mediaId + "]";
    }
}
