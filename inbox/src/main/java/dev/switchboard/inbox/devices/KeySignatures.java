package dev.switchboard.inbox.devices;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.inbox.InboxException;
import java.util.Base64;

/**
 * Checks what a device presents about its keys before the server stores them: shapes first, then
 * that the identity key really signed the encryption key, so nobody can list a key in another
 * device's name. A failed check is a 400 naming it.
 */
final class KeySignatures {
    private static final String KEY_ID = "[A-Za-z0-9_-]{1,64}";

    private KeySignatures() {}

    static DeviceKeySet require(DeviceKeySet keys) {
        PublicKeys.require("identityKey", keys.identityKey());
        PublicKeys.require("encryptionKey", keys.encryptionKey());
        String keyId = keys.encryptionKeyId() == null ? DeviceKeySet.FIRST_KEY_ID : keys.encryptionKeyId();
        if (!keyId.matches(KEY_ID)) {
            throw InboxException.invalid("encryptionKeyId", "must be 1 to 64 letters, digits, '_' or '-'");
        }
        byte[] signature = signature("encryptionKeySignature", keys.encryptionKeySignature());
        if (!Ed25519.verify(raw(keys.identityKey()), Canonical.encryptionKeyStatement(raw(keys.encryptionKey())), signature)) {
            throw new InboxException(InboxException.Kind.INVALID, "invalid_signature",
                    "encryptionKeySignature: does not verify with identityKey over the encryption key statement");
        }
        return new DeviceKeySet(keys.identityKey(), keys.encryptionKey(), keyId, keys.encryptionKeySignature());
    }

    /** A 64-byte Ed25519 signature in base64url. */
    static byte[] signature(String field, String value) {
        return PublicKeys.decode(field, value, 64, "a 64-byte Ed25519 signature");
    }

    static byte[] raw(String key) {
        return Base64.getUrlDecoder().decode(key);
    }
}
