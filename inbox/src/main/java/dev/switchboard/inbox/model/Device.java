package dev.switchboard.inbox.model;

import java.time.Instant;

/**
 * A linked device of a served number. Keys are base64url public keys supplied by the device;
 * {@code encryptionKeySignature} (the identity key's signature over the encryption key) is null
 * only for devices enrolled before signatures were required.
 */
public record Device(
        String id,
        String number,
        Kind kind,
        String name,
        String identityKey,
        String encryptionKey,
        Instant createdAt,
        Instant lastSeenAt,
        long syncedSeq,
        String encryptionKeyId,
        String encryptionKeySignature) {

    public enum Kind {
        PRIMARY, COMPANION;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Kind fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
    }

    public boolean isPrimary() { return kind == Kind.PRIMARY; }
}
