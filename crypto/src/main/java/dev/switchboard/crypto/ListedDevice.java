package dev.switchboard.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One device as it appears in a number's signed device list: its id, its Ed25519 identity key
 * ({@code IKsig_pub}), its X25519 encryption key ({@code IKenc_pub}) and its kind (for example
 * {@code primary} or {@code companion}). Keys are 32 bytes; arrays are copied in and out.
 */
public record ListedDevice(String deviceId, byte[] identityKey, byte[] encryptionKey, String kind) {

    public ListedDevice {
        if (deviceId == null || deviceId.isEmpty()) {
            throw new CryptoException("listed device id is missing");
        }
        if (kind == null || kind.isEmpty()) {
            throw new CryptoException("listed device " + deviceId + " has no kind");
        }
        identityKey = Bytes.requireKey(identityKey, "identity key of listed device " + deviceId).clone();
        encryptionKey = Bytes.requireKey(encryptionKey, "encryption key of listed device " + deviceId).clone();
    }

    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    @Override
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ListedDevice that
                && deviceId.equals(that.deviceId)
                && Arrays.equals(identityKey, that.identityKey)
                && Arrays.equals(encryptionKey, that.encryptionKey)
                && kind.equals(that.kind);
    }

    @Override
    public int hashCode() {
        return deviceId.hashCode() * 31 + Arrays.hashCode(identityKey);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "ListedDevice[deviceId=" + deviceId + ", identityKey=" + hex.formatHex(identityKey)
                + ", encryptionKey=" + hex.formatHex(encryptionKey) + ", kind=" + kind + "]";
    }
}
