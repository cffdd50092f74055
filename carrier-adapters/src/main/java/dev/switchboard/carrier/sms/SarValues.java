package dev.switchboard.carrier.sms;

/**
 * The three SAR TLV values of one segment: {@code sar_msg_ref_num} (0x020C, 16 bits),
 * {@code sar_total_segments} (0x020E) and {@code sar_segment_seqnum} (0x020F, from 1).
 */
public record SarValues(int msgRefNum, int totalSegments, int segmentSeqnum) {

    public SarValues {
        if (msgRefNum < 0 || msgRefNum > 0xFFFF) {
            throw new IllegalArgumentException("sar_msg_ref_num must be 0..65535, got " + msgRefNum);
        }
        if (totalSegments < 1 || totalSegments > 255) {
            throw new IllegalArgumentException("sar_total_segments must be 1..255, got " + totalSegments);
        }
        if (segmentSeqnum < 1 || segmentSeqnum > totalSegments) {
            throw new IllegalArgumentException("sar_segment_seqnum must be 1.." + totalSegments + ", got " + segmentSeqnum);
        }
    }
}
