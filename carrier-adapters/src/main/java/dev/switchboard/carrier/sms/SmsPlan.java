package dev.switchboard.carrier.sms;

import java.util.List;
import java.util.Objects;

/**
 * How one outbound text goes on the wire.
 *
 * @param encoding  GSM7 or UCS2
 * @param mode      the carrier's concatenation mode
 * @param reference the concatenation reference passed in (in the UDH or {@code sar_msg_ref_num};
 *                  unused when there is one segment or in PAYLOAD mode)
 * @param units     the text's length in septets or UTF-16 code units
 * @param smsCount  SMS the recipient receives; equals {@code segments.size()} except in PAYLOAD mode,
 *                  where one PDU carries everything and the SMSC splits it
 * @param segments  the PDUs to submit, in order
 */
public record SmsPlan(SmsEncoding encoding, ConcatMode mode, int reference, int units, int smsCount,
                      List<SmsSegment> segments) {

    public SmsPlan {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(mode, "mode");
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a plan has at least one segment");
        }
    }

    /** The data_coding to submit every segment with. */
    public byte dataCoding() {
        return encoding.dataCoding();
    }

    /** The preview this plan agrees with. */
    public SmsPreview preview() {
        return new SmsPreview(encoding, smsCount, units);
    }
}
