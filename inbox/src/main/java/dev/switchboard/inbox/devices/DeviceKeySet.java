package dev.switchboard.inbox.devices;

/**
 * The public keys a device presents: its Ed25519 identity key, its X25519 encryption key with the
 * id it goes by, and the identity key's signature over the encryption key (base64url, as on the wire).
 */
public record DeviceKeySet(String identityKey, String encryptionKey, String encryptionKeyId, String encryptionKeySignature) {
    public static final String FIRST_KEY_ID = "1";
}
