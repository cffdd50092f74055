package dev.switchboard.crypto;

import java.util.Arrays;

/**
 * A message's content key wrapped to one target device: {@code wrapped} is the HPKE {@code enc}
 * (32 bytes) followed by the HPKE ciphertext of the 32-byte content key (32 bytes + 16-byte tag),
 * {@value #LENGTH} bytes in all. {@code encryptionKeyId} names the device key it was sealed to, so
 * the server can spot a stale key. The array is copied in and out.
 */
public record WrappedKey(String number, String deviceId, String encryptionKeyId, byte[] wrapped) {

    public static final int ENC_LENGTH = X25519.KEY_LENGTH;
    public static final int LENGTH = ENC_LENGTH + ContentCipher.KEY_LENGTH + ContentCipher.TAG_LENGTH;

    public WrappedKey {
        Recipient.requireText(number, "wrapped key number");
        Recipient.requireText(deviceId, "wrapped key device id");
        Recipient.requireText(encryptionKeyId, "encryption key id of the wrapped key for device " + deviceId);
        wrapped = Bytes.requireLength(wrapped, LENGTH, "wrapped key for device " + deviceId).clone();
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrappedKey that
                && number.equals(that.number)
                && deviceId.equals(that.deviceId)
                && encryptionKeyId.equals(that.encryptionKeyId)
                && Arrays.equals(wrapped, that.wrapped);
    }

    @Override
    public int hashCode() {
        return deviceId.hashCode() * 31 + Arrays.hashCode(wrapped);
    }

    @Override
    public String toString() {
        return "WrappedKey[number=" + number + ", deviceId=" + deviceId + ", encryptionKeyId=" + encryptionKeyId
                + ", wrapped=" + wrapped.length + " bytes]";
    }
}
