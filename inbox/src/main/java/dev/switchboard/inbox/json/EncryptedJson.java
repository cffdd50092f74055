package dev.switchboard.inbox.json;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.messages.EncryptedMessage;
import java.util.Base64;
import java.util.Set;

/**
 * Reads the {@code e2ee} object of a send request. Binary values are base64url without padding, in
 * their one canonical spelling; lengths are checked here, signatures and device sets by the sender.
 */
public final class EncryptedJson {
    private static final Set<String> FIELDS = Set.of("header", "ciphertext", "keyCommitment", "signature", "keys", "mediaIds");
    private static final Set<String> KEY_FIELDS = Set.of("number", "deviceId", "encryptionKeyId", "wrappedKey");

    private EncryptedJson() {}

    public static EncryptedMessage read(Object value, String path) {
        StrictJson r = StrictJson.of(value, path, FIELDS);
        byte[] header = bytes(r, "header", EncryptedMessage.MAX_HEADER);
        if (header.length == 0) {
            throw new InboxException(InboxException.Kind.INVALID, "invalid_header", r.path("header") + ": must not be empty");
        }
        String ciphertextText = r.requiredString("ciphertext", Integer.MAX_VALUE);
        // Checked on the encoded length first, so an oversized body is refused before it is decoded.
        if (ciphertextText.length() > encodedLength(EncryptedMessage.MAX_CIPHERTEXT)) {
            throw tooLarge(r.path("ciphertext"));
        }
        byte[] ciphertext = decode(r.path("ciphertext"), ciphertextText);
        if (ciphertext.length > EncryptedMessage.MAX_CIPHERTEXT) {
            throw tooLarge(r.path("ciphertext"));
        }
        byte[] keyCommitment = exactly(r, "keyCommitment", EncryptedMessage.KEY_COMMITMENT_LENGTH);
        byte[] signature = exactly(r, "signature", EncryptedMessage.SIGNATURE_LENGTH);
        var keys = r.list("keys", EncryptedMessage.MAX_KEYS, EncryptedJson::readKey);
        if (keys.isEmpty()) {
            throw new InboxException(InboxException.Kind.INVALID, "missing_field", r.path("keys") + ": at least one wrapped key is required");
        }
        var mediaIds = r.list("mediaIds", MessageJson.MAX_PARTS, (v, p) -> {
            if (!(v instanceof String s) || s.isEmpty() || s.length() > 200) {
                throw StrictJson.wrongType(p, "a media id");
            }
            return s;
        });
        return new EncryptedMessage(header, ciphertext, keyCommitment, signature, keys, mediaIds.stream().distinct().toList());
    }

    private static EncryptedMessage.Key readKey(Object value, String path) {
        StrictJson r = StrictJson.of(value, path, KEY_FIELDS);
        String number = r.requiredString("number", 32);
        String deviceId = r.requiredString("deviceId", 200);
        String keyId = r.requiredString("encryptionKeyId", 64);
        return new EncryptedMessage.Key(number, deviceId, keyId, exactly(r, "wrappedKey", EncryptedMessage.WRAPPED_KEY_LENGTH));
    }

    private static byte[] exactly(StrictJson r, String field, int length) {
        byte[] raw = bytes(r, field, length);
        if (raw.length != length) {
            throw InboxException.invalid(r.path(field), "must be " + length + " bytes, got " + raw.length);
        }
        return raw;
    }

    private static byte[] bytes(StrictJson r, String field, int maxBytes) {
        String text = r.requiredString(field, encodedLength(maxBytes) + 4);
        return decode(r.path(field), text);
    }

    /** Base64url without padding, refusing any other spelling of the same bytes. */
    static byte[] decode(String path, String text) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw InboxException.invalid(path, "must be base64url");
        }
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(text)) {
            throw InboxException.invalid(path, "must be canonical base64url without padding");
        }
        return raw;
    }

    private static int encodedLength(int bytes) {
        return (bytes * 4 + 2) / 3;
    }

    private static InboxException tooLarge(String path) {
        return new InboxException(InboxException.Kind.TOO_LARGE, "too_large",
                path + ": the ciphertext may be at most " + EncryptedMessage.MAX_CIPHERTEXT + " bytes");
    }
}
