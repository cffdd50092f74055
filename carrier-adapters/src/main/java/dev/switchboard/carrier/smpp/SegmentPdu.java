package dev.switchboard.carrier.smpp;

import dev.switchboard.carrier.sms.SmsSegment;
import java.util.ArrayList;
import java.util.List;
import org.jsmpp.bean.OptionalParameter;

/** One planned segment as SMPP carries it: the UDH and payload in short_message, SAR values as TLVs. */
public record SegmentPdu(byte[] shortMessage, List<OptionalParameter> tlvs, int esmClass) {

    public static SegmentPdu of(SmsSegment segment) {
        byte[] udh = segment.udh();
        byte[] payload = segment.payload();
        byte[] shortMessage = new byte[udh.length + payload.length];
        System.arraycopy(udh, 0, shortMessage, 0, udh.length);
        System.arraycopy(payload, 0, shortMessage, udh.length, payload.length);
        List<OptionalParameter> tlvs = new ArrayList<>();
        segment.sar().ifPresent(sar -> {
            tlvs.add(new OptionalParameter.Sar_msg_ref_num((short) sar.msgRefNum()));
            tlvs.add(new OptionalParameter.Sar_total_segments((byte) sar.totalSegments()));
            tlvs.add(new OptionalParameter.Sar_segment_seqnum((byte) sar.segmentSeqnum()));
        });
        return new SegmentPdu(shortMessage, tlvs, segment.udhi() ? 0x40 : 0);
    }
}
