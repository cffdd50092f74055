package dev.switchboard.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a sender uploads: the encoded {@link MessageHeader}, the payload ciphertext (once, for every
 * device), the {@value Canonical#KEY_COMMITMENT_LENGTH}-byte commitment to the content key
 * ({@link Canonical#keyCommitment}, the same for every device), the sender device's signature over
 * {@code header}, {@code SHA-256(ciphertext)}, the key commitment and the sorted target device ids
 * ({@link Canonical#messageStatement}), and one {@link WrappedKey} per target device (at least one,
 * no device twice). Arrays are copied in and out.
 */
public record SealedMessage(byte[] header, byte[] ciphertext, byte[] keyCommitment, byte[] signature,
        List<WrappedKey> keys) {

    public SealedMessage {
        header = Bytes.requireNonNull(header, "message header").clone();
        ciphertext = Bytes.requireNonNull(ciphertext, "message ciphertext").clone();
        keyCommitment = Bytes.requireLength(keyCommitment, Canonical.KEY_COMMITMENT_LENGTH,
                "content key commitment").clone();
        signature = Bytes.requireNonNull(signature, "message signature").clone();
        if (keys == null || keys.isEmpty()) {
            throw new CryptoException("sealed message has no wrapped keys");
        }
        Set<String> seen = new HashSet<>();
        for (WrappedKey key : keys) {
            if (key == null) {
                throw new CryptoException("sealed message contains a null wrapped key");
            }
            if (!seen.add(key.deviceId())) {
                throw new CryptoException("sealed message wraps the key to device " + key.deviceId() + " twice");
            }
        }
        keys = List.copyOf(keys);
    }

    @Override
    public byte[] header() {
        return header.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public byte[] keyCommitment() {
        return keyCommitment.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The target device ids, in the order of {@link #keys()}. */
    public List<String> targetDeviceIds() {
        List<String> ids = new ArrayList<>(keys.size());
        for (WrappedKey key : keys) {
            ids.add(key.deviceId());
        }
        return List.copyOf(ids);
    }

    /**
     * What device {@code deviceId} receives of this message (its own wrapped key and the target ids),
     * as the server's sync would hand it over; {@link CryptoException} if it is not a target.
     */
    public Received receivedBy(String deviceId) {
        for (WrappedKey key : keys) {
            if (key.deviceId().equals(deviceId)) {
                return new Received(header, ciphertext, keyCommitment, signature, key.wrapped(), targetDeviceIds());
            }
        }
        throw new CryptoException("device " + deviceId + " is not a target of this message");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedMessage that
                && Arrays.equals(header, that.header)
                && Arrays.equals(ciphertext, that.ciphertext)
                && Arrays.equals(keyCommitment, that.keyCommitment)
                && Arrays.equals(signature, that.signature)
                && keys.equals(that.keys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(header) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SealedMessage[header=" + header.length + " bytes, ciphertext=" + ciphertext.length
                + " bytes, signature=" + signature.length + " bytes, targets=" + targetDeviceIds() + "]";
    }
}
