package dev.switchboard.client;

import java.util.Objects;

/**
 * Where a new companion finds the primary's history bundle: the media id of the uploaded
 * (encrypted) bundle and the 32-byte key that opens it. It travels only inside the sealed
 * provisioning message; the key is a secret, so {@link #toString()} does not print it.
 */
public record HistoryPointer(String mediaId, byte[] key) {

    public HistoryPointer {
        Objects.requireNonNull(mediaId, "mediaId");
        key = Objects.requireNonNull(key, "key").clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HistoryPointer that && mediaId.equals(that.mediaId) && java.util.Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return mediaId.hashCode() * 31 + java.util.Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "HistoryPointer[mediaId=" + mediaId + ", key=[REDACTED]]";
    }
}
