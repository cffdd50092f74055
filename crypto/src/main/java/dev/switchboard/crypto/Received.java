package dev.switchboard.crypto;

import java.util.Arrays;
import java.util.List;

/**
 * One device's view of a message, as its sync delivers it: the encoded header, the payload
 * ciphertext, the signed commitment to the content key ({@value Canonical#KEY_COMMITMENT_LENGTH}
 * bytes, {@link Canonical#keyCommitment}), the sender's signature, this device's own wrapped key
 * ({@value WrappedKey#LENGTH} bytes: HPKE {@code enc} || HPKE ciphertext) and the ids of every
 * target device (needed to check the signature). Arrays are copied in and out; nothing here is
 * trusted until {@link MessageOpener#open} has checked it.
 */
public record Received(byte[] header, byte[] ciphertext, byte[] keyCommitment, byte[] signature, byte[] wrappedKey,
        List<String> targetDeviceIds) {

    public Received {
        header = Bytes.requireNonNull(header, "message header").clone();
        ciphertext = Bytes.requireNonNull(ciphertext, "message ciphertext").clone();
        keyCommitment = Bytes.requireLength(keyCommitment, Canonical.KEY_COMMITMENT_LENGTH,
                "content key commitment").clone();
        signature = Bytes.requireNonNull(signature, "message signature").clone();
        wrappedKey = Bytes.requireNonNull(wrappedKey, "wrapped key").clone();
        if (targetDeviceIds == null || targetDeviceIds.isEmpty()) {
            throw new CryptoException("received message has no target devices");
        }
        for (String id : targetDeviceIds) {
            if (id == null) {
                throw new CryptoException("received message lists a null target device");
            }
        }
        targetDeviceIds = List.copyOf(targetDeviceIds);
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

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Received that
                && Arrays.equals(header, that.header)
                && Arrays.equals(ciphertext, that.ciphertext)
                && Arrays.equals(keyCommitment, that.keyCommitment)
                && Arrays.equals(signature, that.signature)
                && Arrays.equals(wrappedKey, that.wrappedKey)
                && targetDeviceIds.equals(that.targetDeviceIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(header) * 31 + Arrays.hashCode(wrappedKey);
    }

    @Override
    public String toString() {
        return "Received[header=" + header.length + " bytes, ciphertext=" + ciphertext.length
                + " bytes, targets=" + targetDeviceIds + "]";
    }
}
