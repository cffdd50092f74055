package dev.switchboard.crypto;

/**
 * The cleartext header of an end-to-end encrypted message: the associated data of its payload and
 * of every wrapped content key, and the first field of what the sender signs. Fixed binary layout
 * (conventions of {@link Canonical}):
 * <pre>
 *   "sb.hdr.v1" || u32(version = 1) || str(messageId) || str(fromNumber) || str(fromDeviceId)
 *   || str(toNumber) || u64(sentAt) || u64(fromListVersion) || u64(toListVersion)
 * </pre>
 * {@code sentAt} is the client's clock in epoch milliseconds; the list versions are those of the
 * sender's and the recipient's signed device lists the sender encrypted to. Strings must be
 * non-empty, well-formed Unicode; numbers must not be negative. {@link #decode} accepts exactly the
 * bytes {@link #encode} produces and nothing else.
 */
public record MessageHeader(int version, String messageId, String fromNumber, String fromDeviceId, String toNumber,
        long sentAt, long fromListVersion, long toListVersion) {

    public static final String TAG = "sb.hdr.v1";
    public static final int VERSION = 1;

    public MessageHeader {
        if (version != VERSION) {
            throw new CryptoException("unsupported message header version " + version + ", expected " + VERSION);
        }
        requireText(messageId, "message id");
        requireText(fromNumber, "sender number");
        requireText(fromDeviceId, "sender device id");
        requireText(toNumber, "recipient number");
        requireUnsigned(sentAt, "sentAt");
        requireUnsigned(fromListVersion, "sender device list version");
        requireUnsigned(toListVersion, "recipient device list version");
    }

    /** A version-1 header. */
    public static MessageHeader of(String messageId, String fromNumber, String fromDeviceId, String toNumber,
            long sentAt, long fromListVersion, long toListVersion) {
        return new MessageHeader(VERSION, messageId, fromNumber, fromDeviceId, toNumber, sentAt, fromListVersion,
                toListVersion);
    }

    /** The fixed binary layout above. */
    public byte[] encode() {
        return new Wire.Writer(TAG)
                .u32(version)
                .str(messageId, "message id")
                .str(fromNumber, "sender number")
                .str(fromDeviceId, "sender device id")
                .str(toNumber, "recipient number")
                .u64(sentAt)
                .u64(fromListVersion)
                .u64(toListVersion)
                .toByteArray();
    }

    /** The header {@link #encode} produced {@code encoded}; {@link CryptoException} for anything else. */
    public static MessageHeader decode(byte[] encoded) {
        Wire.Reader in = new Wire.Reader(encoded, "message header").tag(TAG);
        int version = in.u32();
        if (version != VERSION) {
            throw in.malformed("unsupported version " + Integer.toUnsignedString(version));
        }
        String messageId = in.str("message id");
        String fromNumber = in.str("sender number");
        String fromDeviceId = in.str("sender device id");
        String toNumber = in.str("recipient number");
        long sentAt = in.u64("sentAt");
        long fromListVersion = in.u64("sender device list version");
        long toListVersion = in.u64("recipient device list version");
        in.end();
        try {
            return new MessageHeader(version, messageId, fromNumber, fromDeviceId, toNumber, sentAt,
                    fromListVersion, toListVersion);
        } catch (CryptoException e) {
            throw in.malformed(e.getMessage());
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new CryptoException("message header " + what + " is missing");
        }
        Bytes.utf8(value, "message header " + what);
    }

    private static void requireUnsigned(long value, String what) {
        if (value < 0) {
            throw new CryptoException("message header " + what + " must not be negative, got " + value);
        }
    }
}
