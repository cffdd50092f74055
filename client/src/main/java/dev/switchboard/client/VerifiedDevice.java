package dev.switchboard.client;

import dev.switchboard.crypto.ListedDevice;
import java.util.Objects;

/**
 * One active device of a number whose keys {@link SwitchboardClient#verifiedKeys} checked.
 *
 * @param keys                the device id, identity key, encryption key and kind
 * @param encryptionKeyId     the id of the current encryption key (it changes on rotation)
 * @param encryptionKeySigned whether the device's identity key signed its encryption key (and the
 *                            signature verified); {@code false} only for devices enrolled before
 *                            signatures existed, which the gateway lists without one
 * @param listed              whether the number's signed device list, verified with the account
 *                            key, lists exactly this device with these keys. Only then does the
 *                            account key vouch for the device; a device not listed (the list is
 *                            stale after a link or a rotation, or there is none yet) is known only
 *                            by what the gateway says
 */
public record VerifiedDevice(ListedDevice keys, String encryptionKeyId, boolean encryptionKeySigned, boolean listed) {

    public VerifiedDevice {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(encryptionKeyId, "encryptionKeyId");
    }

    public String deviceId() {
        return keys.deviceId();
    }

    /** {@code primary} or {@code companion}. */
    public String kind() {
        return keys.kind();
    }

    /** The raw 32-byte Ed25519 identity key (a copy). */
    public byte[] identityKey() {
        return keys.identityKey();
    }

    /** The raw 32-byte X25519 encryption key (a copy). */
    public byte[] encryptionKey() {
        return keys.encryptionKey();
    }

    public String identityKeyB64() {
        return Base64Url.encode(keys.identityKey());
    }

    public String encryptionKeyB64() {
        return Base64Url.encode(keys.encryptionKey());
    }
}
