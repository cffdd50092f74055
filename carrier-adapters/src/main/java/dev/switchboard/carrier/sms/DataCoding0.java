package dev.switchboard.carrier.sms;

/**
 * What a carrier means by {@code data_coding} 0, "SMSC default alphabet": it differs by carrier, so
 * it is a per-carrier setting ({@code dataCoding0} in the carrier configuration).
 */
public enum DataCoding0 {
    /** GSM 03.38 7-bit, unpacked (one septet per octet): the usual meaning. */
    GSM7(SmsEncoding.GSM7),
    /** ISO-8859-1. */
    LATIN1(SmsEncoding.LATIN1),
    /** US-ASCII. */
    ASCII(SmsEncoding.ASCII);

    private final SmsEncoding encoding;

    DataCoding0(SmsEncoding encoding) {
        this.encoding = encoding;
    }

    public SmsEncoding encoding() {
        return encoding;
    }
}
