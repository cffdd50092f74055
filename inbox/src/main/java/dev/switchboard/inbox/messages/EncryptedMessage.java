package dev.switchboard.inbox.messages;

import java.util.List;

/**
 * An end-to-end encrypted message as a device uploads it, decoded from base64url but otherwise
 * opaque: the encoded {@code MessageHeader}, the payload ciphertext, the 32-byte commitment to the
 * content key, the sending device's 64-byte signature, one 80-byte wrapped content key per target
 * device, and the ids of the (encrypted) media the payload refers to. Arrays are not copied: the
 * record lives for one request.
 */
public record EncryptedMessage(byte[] header, byte[] ciphertext, byte[] keyCommitment, byte[] signature, List<Key> keys,
                               List<String> mediaIds) {

    /** The largest payload ciphertext accepted, in bytes. */
    public static final int MAX_CIPHERTEXT = 256 * 1024;
    public static final int MAX_HEADER = 4 * 1024;
    public static final int KEY_COMMITMENT_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;
    public static final int WRAPPED_KEY_LENGTH = 80;
    /** Far above any real target set (two numbers of at most five devices each), far below a costly one. */
    public static final int MAX_KEYS = 64;

    /** The content key wrapped to one device, under the id of the encryption key it was sealed to. */
    public record Key(String number, String deviceId, String encryptionKeyId, byte[] wrappedKey) {}

    public EncryptedMessage {
        keys = List.copyOf(keys);
        mediaIds = List.copyOf(mediaIds);
    }

    public List<String> targetDeviceIds() {
        return keys.stream().map(Key::deviceId).toList();
    }
}
