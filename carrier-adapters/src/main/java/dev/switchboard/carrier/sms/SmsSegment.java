package dev.switchboard.carrier.sms;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One PDU's worth of an outbound message. Arrays are copied in and out, so a segment never changes.
 *
 * @param index   1-based position in the message
 * @param total   segments in the message
 * @param udh     the user data header, length octet included; empty when there is none (a single
 *                SMS, SAR or PAYLOAD mode)
 * @param payload the encoded text after the header
 * @param packed  true only for GSM 7-bit text packed into septets (fill bits after the header
 *                included); false for unpacked GSM 7-bit, the SMPP default, and for UCS-2
 * @param sar     the SAR TLV values, present only in {@link ConcatMode#SAR} with more than one segment
 */
public record SmsSegment(int index, int total, byte[] udh, byte[] payload, boolean packed, Optional<SarValues> sar) {

    public SmsSegment {
        Objects.requireNonNull(sar, "sar");
        if (total < 1 || index < 1 || index > total) {
            throw new IllegalArgumentException("segment " + index + " of " + total);
        }
        udh = udh.clone();
        payload = payload.clone();
    }

    @Override
    public byte[] udh() {
        return udh.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** True when the header must be flagged with UDHI (0x40) in esm_class. */
    public boolean udhi() {
        return udh.length > 0;
    }

    /** What goes into {@code short_message} (or {@code message_payload}): header then payload. */
    public byte[] shortMessage() {
        byte[] out = Arrays.copyOf(udh, udh.length + payload.length);
        System.arraycopy(payload, 0, out, udh.length, payload.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmsSegment s && index == s.index && total == s.total && packed == s.packed
                && Arrays.equals(udh, s.udh) && Arrays.equals(payload, s.payload) && sar.equals(s.sar);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, total, Arrays.hashCode(udh), Arrays.hashCode(payload), packed, sar);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "SmsSegment[" + index + "/" + total + ", udh=" + hex.formatHex(udh) + ", payload="
                + hex.formatHex(payload) + ", packed=" + packed + ", sar=" + sar + "]";
    }
}
