package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The fixed binary encodings of everything Switchboard signs or binds into HPKE (never JSON, so the
 * bytes cannot depend on a serializer). The same bytes must come out of the server, the Java client
 * and the web inbox; this comment is their specification.
 *
 * <p>Building blocks:
 * <pre>
 *   TAG        the ASCII bytes of the statement's tag, e.g. "sb.enc.v1": no length, no terminator.
 *              Every statement starts with exactly one tag, and no tag is a prefix of another, so
 *              statements of different kinds never share an encoding.
 *   bytes(x)   u32(length of x) || x
 *   str(s)     bytes(UTF-8 of s); s must be well-formed Unicode (no unpaired surrogates)
 *   u32(n)     4 bytes, big-endian, unsigned
 *   u64(n)     8 bytes, big-endian, n &gt;= 0
 * </pre>
 * Every variable-length field carries its length, so ("ab", "c") and ("a", "bc") encode
 * differently. A list is always the last field of its statement and runs to the end (no count);
 * its elements are sorted by device id in ascending unsigned byte order of their UTF-8 (for ASCII
 * ids, plain string order), duplicates are refused, so the encoding does not depend on the order
 * the caller gives them in. All keys are 32 bytes; anything else is a {@link CryptoException}.
 *
 * <p>Statements:
 * <pre>
 *   encryptionKeyStatement   "sb.enc.v1"     || bytes(IKenc_pub)
 *                            signed by the device's IKsig
 *   deviceSignatureStatement "sb.devsig.v1"  || bytes(account_pub) || bytes(IKsig_c) || bytes(IKenc_c)
 *                            signed by the companion's IKsig
 *   deviceList               "sb.devlist.v1" || str(number) || u64(version) || u64(issuedAt)
 *                            || for each device: str(deviceId) || bytes(IKsig_pub) || bytes(IKenc_pub) || str(kind)
 *                            signed by the account key; at least one device
 *   messageStatement         "sb.msgsig.v2"  || bytes(header) || bytes(SHA-256(ciphertext))
 *                            || bytes(keyCommitment)
 *                            || for each target device: str(deviceId)
 *                            signed by the sender device's IKsig; at least one target;
 *                            bytes(SHA-256(ciphertext)) and bytes(keyCommitment) are each
 *                            u32(32) || 32 bytes
 *   messageInfo              "sb.msg.v1"     || str(senderDeviceId) || str(targetDeviceId)
 *                            the HPKE info when wrapping a content key to one target device
 *   accountSignatureStatement "sb.acctsig.v1" || str(number) || str(deviceId) || bytes(IKsig_c) || bytes(IKenc_c)
 *                            signed by the account key (the primary's IKsig) when it links the
 *                            companion deviceId: the account vouches for exactly these keys
 *   provisioningInfo         "sb.prov.v1"    || str(linkId)
 *                            the HPKE info of the provisioning message sealed (PSK mode, psk_id
 *                            {@value #LINK_PSK_ID}, psk = the QR code's linking secret) to the link
 *                            request's ephemeral key, so it cannot be replayed to another request
 * </pre>
 *
 * <p>Key derivation (not a statement, nothing is signed under this label on its own):
 * <pre>
 *   keyCommitment            HKDF-SHA256(salt = empty, IKM = CK, info = "sb.ck.commit.v1", L = 32)
 *                            where CK is the message's 32-byte content key; {@link #keyCommitment}
 * </pre>
 * The design note writes the message signature as {@code header || SHA-256(ciphertext) || ids}; the
 * {@code "sb.msgsig.v2"} tag is added here so that no message statement can ever be mistaken for
 * one of the other statements the same identity key signs, and the key commitment is added because
 * AES-GCM does not commit to its key: without it a sender could sign one ciphertext and wrap
 * different content keys to different targets, each of which decrypts it to a different plaintext
 * ("invisible salamanders"). A target recomputes the commitment from the content key it unwrapped
 * and refuses the message unless it equals the signed one. Layout v1 (the same fields without
 * {@code bytes(keyCommitment)}, tag {@code "sb.msgsig.v1"}) is no longer produced or accepted.
 */
public final class Canonical {

    public static final String ENCRYPTION_KEY_TAG = "sb.enc.v1";
    public static final String DEVICE_SIGNATURE_TAG = "sb.devsig.v1";
    public static final String DEVICE_LIST_TAG = "sb.devlist.v1";
    public static final String MESSAGE_SIGNATURE_TAG = "sb.msgsig.v2";
    public static final String MESSAGE_INFO_TAG = "sb.msg.v1";
    public static final String ACCOUNT_SIGNATURE_TAG = "sb.acctsig.v1";
    public static final String PROVISIONING_INFO_TAG = "sb.prov.v1";
    /** The HPKE {@code psk_id} of the provisioning message; the psk is the QR code's linking secret. */
    public static final String LINK_PSK_ID = "sb.link.v1";
    /** The HKDF info of {@link #keyCommitment}. */
    public static final String KEY_COMMITMENT_INFO = "sb.ck.commit.v1";
    /** The length of {@link #keyCommitment} in bytes. */
    public static final int KEY_COMMITMENT_LENGTH = 32;

    private static final int SHA256_LENGTH = 32;
    private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

    private Canonical() {
    }

    /** {@code "sb.enc.v1" || bytes(IKenc_pub)}: what a device's identity key signs over its encryption key. */
    public static byte[] encryptionKeyStatement(byte[] ikEncPub) {
        return new Wire.Writer(ENCRYPTION_KEY_TAG)
                .bytes(Bytes.requireKey(ikEncPub, "encryption public key"))
                .toByteArray();
    }

    /**
     * {@code "sb.devlist.v1" || str(number) || u64(version) || u64(issuedAt) || devices}, the devices
     * sorted by id whatever the order of {@code devices}.
     */
    public static byte[] deviceList(String number, long version, long issuedAt, List<ListedDevice> devices) {
        requireText(number, "device list number");
        requireUnsigned(version, "device list version");
        requireUnsigned(issuedAt, "device list issuedAt");
        if (devices == null || devices.isEmpty()) {
            throw new CryptoException("device list of " + number + " has no devices");
        }
        List<Entry<ListedDevice>> sorted = new ArrayList<>(devices.size());
        for (ListedDevice device : devices) {
            if (device == null) {
                throw new CryptoException("device list of " + number + " contains a null device");
            }
            sorted.add(new Entry<>(Bytes.utf8(device.deviceId(), "device id"), device));
        }
        sortUnique(sorted, "device list of " + number);
        Wire.Writer out = new Wire.Writer(DEVICE_LIST_TAG).str(number, "number").u64(version).u64(issuedAt);
        for (Entry<ListedDevice> entry : sorted) {
            ListedDevice device = entry.value();
            out.bytes(entry.key())
                    .bytes(device.identityKey())
                    .bytes(device.encryptionKey())
                    .str(device.kind(), "device kind");
        }
        return out.toByteArray();
    }

    /**
     * {@code "sb.devsig.v1" || bytes(account_pub) || bytes(IKsig_c) || bytes(IKenc_c)}: what a
     * companion's identity key signs to accept the account it is linked to.
     */
    public static byte[] deviceSignatureStatement(byte[] accountPub, byte[] ikSigCompanion, byte[] ikEncCompanion) {
        return new Wire.Writer(DEVICE_SIGNATURE_TAG)
                .bytes(Bytes.requireKey(accountPub, "account public key"))
                .bytes(Bytes.requireKey(ikSigCompanion, "companion identity public key"))
                .bytes(Bytes.requireKey(ikEncCompanion, "companion encryption public key"))
                .toByteArray();
    }

    /**
     * {@code "sb.msgsig.v2" || bytes(header) || bytes(SHA-256(ciphertext)) || bytes(keyCommitment)
     * || target ids}: what the sending device signs, the target ids sorted whatever the order of
     * {@code targetDeviceIds}. {@code keyCommitment} is {@link #keyCommitment} of the content key.
     */
    public static byte[] messageStatement(byte[] header, byte[] ciphertextSha256, byte[] keyCommitment,
            List<String> targetDeviceIds) {
        Bytes.requireNonNull(header, "message header");
        Bytes.requireLength(ciphertextSha256, SHA256_LENGTH, "ciphertext SHA-256");
        Bytes.requireLength(keyCommitment, KEY_COMMITMENT_LENGTH, "content key commitment");
        if (targetDeviceIds == null || targetDeviceIds.isEmpty()) {
            throw new CryptoException("message statement has no target devices");
        }
        List<Entry<String>> sorted = new ArrayList<>(targetDeviceIds.size());
        for (String id : targetDeviceIds) {
            requireText(id, "target device id");
            sorted.add(new Entry<>(Bytes.utf8(id, "target device id"), id));
        }
        sortUnique(sorted, "message target devices");
        Wire.Writer out = new Wire.Writer(MESSAGE_SIGNATURE_TAG).bytes(header).bytes(ciphertextSha256).bytes(keyCommitment);
        for (Entry<String> entry : sorted) {
            out.bytes(entry.key());
        }
        return out.toByteArray();
    }

    /**
     * {@code HKDF-SHA256(salt = empty, IKM = contentKey, info = "sb.ck.commit.v1", L = 32)}: the
     * commitment to a message's content key that goes into {@link #messageStatement}. It reveals
     * nothing usable about the key (HKDF is a PRF, and this label is used for nothing else).
     */
    public static byte[] keyCommitment(byte[] contentKey) {
        Bytes.requireLength(contentKey, ContentCipher.KEY_LENGTH, "content key");
        return Hkdf.derive(new byte[0], contentKey, KEY_COMMITMENT_INFO.getBytes(US_ASCII), KEY_COMMITMENT_LENGTH);
    }

    /** {@code "sb.msg.v1" || str(senderDeviceId) || str(targetDeviceId)}: HPKE info for one wrapped key. */
    public static byte[] messageInfo(String senderDeviceId, String targetDeviceId) {
        requireText(senderDeviceId, "sender device id");
        requireText(targetDeviceId, "target device id");
        return new Wire.Writer(MESSAGE_INFO_TAG).str(senderDeviceId, "sender device id").str(targetDeviceId, "target device id").toByteArray();
    }

    /**
     * {@code "sb.acctsig.v1" || str(number) || str(deviceId) || bytes(IKsig_c) || bytes(IKenc_c)}:
     * what the account key signs to vouch for a companion's keys under its device id and number.
     */
    public static byte[] accountSignatureStatement(String number, String deviceId, byte[] ikSigCompanion,
            byte[] ikEncCompanion) {
        requireText(number, "account signature number");
        requireText(deviceId, "account signature device id");
        return new Wire.Writer(ACCOUNT_SIGNATURE_TAG)
                .str(number, "number")
                .str(deviceId, "device id")
                .bytes(Bytes.requireKey(ikSigCompanion, "companion identity public key"))
                .bytes(Bytes.requireKey(ikEncCompanion, "companion encryption public key"))
                .toByteArray();
    }

    /** {@code "sb.prov.v1" || str(linkId)}: the HPKE info binding a provisioning message to its link request. */
    public static byte[] provisioningInfo(String linkId) {
        requireText(linkId, "link id");
        return new Wire.Writer(PROVISIONING_INFO_TAG).str(linkId, "link id").toByteArray();
    }

    private record Entry<T>(byte[] key, T value) {
    }

    private static <T> void sortUnique(List<Entry<T>> entries, String what) {
        entries.sort(Comparator.comparing(Entry::key, UNSIGNED));
        for (int i = 1; i < entries.size(); i++) {
            if (Arrays.equals(entries.get(i - 1).key(), entries.get(i).key())) {
                throw new CryptoException(what + " lists device "
                        + new String(entries.get(i).key(), StandardCharsets.UTF_8) + " twice");
            }
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new CryptoException(what + " is missing");
        }
    }

    private static void requireUnsigned(long value, String what) {
        if (value < 0) {
            throw new CryptoException(what + " must not be negative, got " + value);
        }
    }
}
