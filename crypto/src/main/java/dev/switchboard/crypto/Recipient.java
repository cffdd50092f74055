package dev.switchboard.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One target device of a message, as taken from a signed device list: the number it belongs to,
 * its device id, the id of its current encryption key and that X25519 public key ({@code IKenc_pub},
 * 32 bytes). The key array is copied in and out.
 */
public record Recipient(String number, String deviceId, String encryptionKeyId, byte[] encryptionKey) {

    public Recipient {
        requireText(number, "recipient number");
        requireText(deviceId, "recipient device id");
        requireText(encryptionKeyId, "encryption key id of recipient device " + deviceId);
        encryptionKey = Bytes.requireKey(encryptionKey, "encryption key of recipient device " + deviceId).clone();
    }

    @Override
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Recipient that
                && number.equals(that.number)
                && deviceId.equals(that.deviceId)
                && encryptionKeyId.equals(that.encryptionKeyId)
                && Arrays.equals(encryptionKey, that.encryptionKey);
    }

    @Override
    public int hashCode() {
        return deviceId.hashCode() * 31 + Arrays.hashCode(encryptionKey);
    }

    @Override
    public String toString() {
        return "Recipient[number=" + number + ", deviceId=" + deviceId + ", encryptionKeyId=" + encryptionKeyId
                + ", encryptionKey=" + HexFormat.of().formatHex(encryptionKey) + "]";
    }

    static void requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new CryptoException(what + " is missing");
        }
    }
}
