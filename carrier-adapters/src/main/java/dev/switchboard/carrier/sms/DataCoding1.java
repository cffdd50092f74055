package dev.switchboard.carrier.sms;

/**
 * What a carrier means by {@code data_coding} 1. SMPP says IA5 (ASCII), but the npm {@code smpp}
 * package labels unpacked GSM 03.38 text 0x01, so peers built on it need {@link #GSM7}. The two agree
 * on letters and digits and disagree on {@code @ $ _} and every accented letter, so guessing from the
 * bytes is unsafe; it is a per-carrier setting.
 */
public enum DataCoding1 {
    /** IA5 / US-ASCII, as the SMPP specification defines data_coding 1. */
    IA5(SmsEncoding.ASCII),
    /** GSM 03.38 7-bit, unpacked, as sent by the npm {@code smpp} package. */
    GSM7(SmsEncoding.GSM7);

    private final SmsEncoding encoding;

    DataCoding1(SmsEncoding encoding) {
        this.encoding = encoding;
    }

    public SmsEncoding encoding() {
        return encoding;
    }
}
