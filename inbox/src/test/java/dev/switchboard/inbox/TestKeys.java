package dev.switchboard.inbox;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.RawKeyPair;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.X25519;
import dev.switchboard.inbox.devices.DeviceKeySet;
import java.util.Base64;

/** Fresh device keys as a device presents them: the encryption key signed by the identity key. */
public final class TestKeys {
    private TestKeys() {}

    public static DeviceKeySet signed() {
        RawKeyPair identity = Ed25519.generate();
        RawKeyPair encryption = X25519.generate();
        byte[] signature = Ed25519.sign(identity.privateKey(), Canonical.encryptionKeyStatement(encryption.publicKey()));
        return new DeviceKeySet(b64(identity.publicKey()), b64(encryption.publicKey()), DeviceKeySet.FIRST_KEY_ID, b64(signature));
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
