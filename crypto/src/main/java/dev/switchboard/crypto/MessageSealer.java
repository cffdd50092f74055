package dev.switchboard.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Seals one end-to-end encrypted message to a set of target devices (e2ee.md, "Sending an end-to-end
 * encrypted message"):
 * <ol>
 *   <li>a fresh random content key {@code CK} ({@link ContentCipher#newKey});</li>
 *   <li>{@code ciphertext = ContentCipher.encrypt(CK, plaintext, aad = header bytes)}, once;</li>
 *   <li>for each target, {@code wrapped = enc || ct} of an HPKE base-mode seal (DHKEM(X25519,
 *       HKDF-SHA256), HKDF-SHA256, AES-128-GCM) of {@code CK} to its encryption key, with
 *       {@code info = Canonical.messageInfo(fromDeviceId, targetDeviceId)} and {@code aad = header bytes};</li>
 *   <li>{@code keyCommitment = Canonical.keyCommitment(CK)} (HKDF-SHA256 of {@code CK} with info
 *       {@code "sb.ck.commit.v1"}), because AES-GCM alone does not commit to its key;</li>
 *   <li>{@code signature = Ed25519(senderIdentityPrivate, Canonical.messageStatement(header bytes,
 *       SHA-256(ciphertext), keyCommitment, target device ids))}.</li>
 * </ol>
 * Choosing the targets (the recipient number's listed devices and the sender's other devices) is the
 * caller's job. Stateless and thread-safe.
 */
public final class MessageSealer {

    private final Hpke hpke = new Hpke(Hpke.Aead.AES_128_GCM);

    /**
     * The sealed message; {@link CryptoException} for an empty target list, a device targeted
     * twice, or a malformed key.
     */
    public SealedMessage seal(MessageHeader header, byte[] senderIdentityPrivate, List<Recipient> targets,
            byte[] plaintext) {
        if (header == null) {
            throw new CryptoException("message header is missing");
        }
        Bytes.requireLength(senderIdentityPrivate, Ed25519.PRIVATE_KEY_LENGTH, "sender identity private key");
        Bytes.requireNonNull(plaintext, "plaintext");
        List<String> targetIds = checkTargets(targets);

        byte[] headerBytes = header.encode();
        byte[] contentKey = ContentCipher.newKey();
        try {
            byte[] ciphertext = ContentCipher.encrypt(contentKey, plaintext, headerBytes);
            List<WrappedKey> keys = new ArrayList<>(targets.size());
            for (Recipient target : targets) {
                byte[] info = Canonical.messageInfo(header.fromDeviceId(), target.deviceId());
                Hpke.Sealed sealed = hpke.seal(target.encryptionKey(), info, headerBytes, contentKey);
                keys.add(new WrappedKey(target.number(), target.deviceId(), target.encryptionKeyId(),
                        Bytes.concat(sealed.enc(), sealed.ciphertext())));
            }
            byte[] keyCommitment = Canonical.keyCommitment(contentKey);
            byte[] statement = Canonical.messageStatement(headerBytes, Wire.sha256(ciphertext), keyCommitment,
                    targetIds);
            byte[] signature = Ed25519.sign(senderIdentityPrivate, statement);
            return new SealedMessage(headerBytes, ciphertext, keyCommitment, signature, keys);
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    private static List<String> checkTargets(List<Recipient> targets) {
        if (targets == null || targets.isEmpty()) {
            throw new CryptoException("a message needs at least one target device");
        }
        List<String> ids = new ArrayList<>(targets.size());
        Set<String> seen = new HashSet<>();
        for (Recipient target : targets) {
            if (target == null) {
                throw new CryptoException("target list contains a null recipient");
            }
            if (!seen.add(target.deviceId())) {
                throw new CryptoException("target device " + target.deviceId() + " is listed twice");
            }
            ids.add(target.deviceId());
        }
        return ids;
    }
}
