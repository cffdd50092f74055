package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The encrypted history a primary hands to a new companion (e2ee.md, "Trust and history"): uploaded
 * as media, its key sent inside the provisioning message. Layout:
 * <pre>
 *   blob      = "sb.hist.v1" || ContentCipher.encrypt(key, contents, aad = "sb.hist.v1")
 *   contents  = u32(entry count) || for each entry: bytes(entry)
 * </pre>
 * The tag names the version in the clear; the same tag as associated data binds it to the
 * ciphertext. Each entry is opaque to this class (the caller's serialized messages); entries keep
 * their order and may be empty, and the list may be empty. {@link #open} refuses anything altered,
 * a wrong key and a container that is not exactly well formed.
 */
public final class HistoryBundle {

    public static final String TAG = "sb.hist.v1";

    private static final byte[] TAG_BYTES = TAG.getBytes(US_ASCII);

    private HistoryBundle() {
    }

    /** An exported bundle: its fresh 32-byte key and the blob to upload. Arrays are copied. */
    public record Exported(byte[] key, byte[] blob) {

        public Exported {
            key = Bytes.requireLength(key, ContentCipher.KEY_LENGTH, "history bundle key").clone();
            blob = Bytes.requireNonNull(blob, "history bundle").clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public byte[] blob() {
            return blob.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Exported that && Arrays.equals(key, that.key) && Arrays.equals(blob, that.blob);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(blob);
        }

        /** Never shows the key. */
        @Override
        public String toString() {
            return "HistoryBundle.Exported[blob=" + blob.length + " bytes]";
        }
    }

    /** Encrypts {@code entries} under a fresh key. */
    public static Exported export(List<byte[]> entries) {
        if (entries == null) {
            throw new CryptoException("history entries are missing");
        }
        Wire.Writer contents = new Wire.Writer("").u32(entries.size());
        for (byte[] entry : entries) {
            contents.bytes(Bytes.requireNonNull(entry, "history entry"));
        }
        byte[] key = ContentCipher.newKey();
        try {
            byte[] sealed = ContentCipher.encrypt(key, contents.toByteArray(), TAG_BYTES);
            return new Exported(key, Bytes.concat(TAG_BYTES, sealed));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The entries of {@code blob}, in order; {@link CryptoException} if it does not open or is malformed. */
    public static List<byte[]> open(byte[] key, byte[] blob) {
        Bytes.requireLength(key, ContentCipher.KEY_LENGTH, "history bundle key");
        byte[] sealed = new Wire.Reader(blob, "history bundle").tag(TAG).rest();
        byte[] contents;
        try {
            contents = ContentCipher.decrypt(key, sealed, TAG_BYTES);
        } catch (CryptoException e) {
            throw new CryptoException("history bundle does not decrypt: wrong key or altered content", e);
        }
        Wire.Reader in = new Wire.Reader(contents, "history bundle contents");
        long count = in.u32() & 0xffffffffL;
        if (count > in.remaining() / 4) {
            throw in.malformed("claims " + count + " entries, more than its length allows");
        }
        List<byte[]> entries = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            entries.add(in.bytes("history entry " + i));
        }
        in.end();
        return entries;
    }
}
