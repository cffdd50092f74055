package dev.switchboard.carrier.sms;

/**
 * A {@code data_coding} value that is reserved, or names an alphabet Switchboard does not turn into
 * text (8-bit binary, compressed text, JIS and the other national character sets). Permanent: the
 * same PDU fails the same way every time, so it is never worth a retry (SMPP 5.0 names the status
 * {@code ESME_RINVDCS}, 0x104).
 */
public final class UnsupportedDataCodingException extends RuntimeException {

    private final int dataCoding;

    public UnsupportedDataCodingException(int dataCoding, String reason) {
        super(String.format("data_coding 0x%02X: %s", dataCoding & 0xFF, reason), null, false, false);
        this.dataCoding = dataCoding & 0xFF;
    }

    /** The offending value, 0..255. */
    public int dataCoding() {
        return dataCoding;
    }
}
