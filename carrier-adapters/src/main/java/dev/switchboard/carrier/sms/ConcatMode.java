package dev.switchboard.carrier.sms;

/** How a carrier takes (and sends) a message longer than one SMS: a per-carrier setting. */
public enum ConcatMode {
    /** User data header IEI 0x00, 8-bit reference: what every handset and SMSC knows. The default. */
    UDH8(0xFF),
    /** User data header IEI 0x08, 16-bit reference: one septet (or UCS-2 unit) less per segment. */
    UDH16(0xFFFF),
    /** {@code sar_msg_ref_num}, {@code sar_total_segments}, {@code sar_segment_seqnum} TLVs. */
    SAR(0xFFFF),
    /** The whole text in one {@code message_payload} TLV; the SMSC splits it. */
    PAYLOAD(0xFFFF);

    private final int maxReference;

    ConcatMode(int maxReference) {
        this.maxReference = maxReference;
    }

    /** The largest concatenation reference this mode can carry; references run from 0. */
    public int maxReference() {
        return maxReference;
    }
}
