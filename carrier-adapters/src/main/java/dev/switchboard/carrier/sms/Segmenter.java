package dev.switchboard.carrier.sms;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the encoding of an outbound text and cuts it into segments for one carrier's
 * {@link ConcatMode}.
 *
 * <p>GSM 7-bit when every character is in the default alphabet or the extension table, else UCS-2.
 * Limits (septets or UTF-16 units): one SMS holds 160 / 70; a segment behind an 8-bit reference UDH
 * holds 153 / 67, behind a 16-bit one 152 / 66. SAR segments are cut to 152 / 66 too, because
 * {@code sar_msg_ref_num} is 16 bits and the SMSC may turn it into a 16-bit reference UDH; one
 * septet less is cheaper than a rejected or re-split segment. PAYLOAD sends one PDU and counts what
 * the SMSC will most likely send, 8-bit reference segments.
 *
 * <p>Segments end on character boundaries only: an escape sequence or a surrogate pair that does
 * not fit moves whole to the next segment, leaving the previous one a unit short. Grapheme clusters
 * (flags, skin tones, ZWJ sequences) may be cut between code points; the handset joins the segments
 * before it draws them.
 *
 * <p>GSM 7-bit payloads are unpacked by default, one septet per octet as SMPP carries them; see
 * {@link Gsm7Packing}.
 */
public final class Segmenter {

    /** Concatenation numbers segments in one octet. */
    public static final int MAX_SEGMENTS = 255;

    private static final int GSM7_SINGLE = 160;
    private static final int UCS2_SINGLE = 70;
    private static final int GSM7_UDH8 = 153;
    private static final int GSM7_UDH16 = 152;
    private static final int UCS2_UDH8 = 67;
    private static final int UCS2_UDH16 = 66;

    private static final int IEI_CONCAT_8 = 0x00;
    private static final int IEI_CONCAT_16 = 0x08;
    private static final int CR = 0x0D;

    private final ConcatMode mode;
    private final Gsm7Packing packing;

    /** 8-bit reference UDH, unpacked GSM 7-bit: what suits most carriers. */
    public Segmenter() {
        this(ConcatMode.UDH8, Gsm7Packing.UNPACKED);
    }

    public Segmenter(ConcatMode mode) {
        this(mode, Gsm7Packing.UNPACKED);
    }

    public Segmenter(ConcatMode mode, Gsm7Packing packing) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.packing = Objects.requireNonNull(packing, "packing");
    }

    public ConcatMode mode() {
        return mode;
    }

    public Gsm7Packing packing() {
        return packing;
    }

    /** GSM7 when every character fits the default alphabet or the extension table, else UCS2. */
    public static SmsEncoding encodingFor(CharSequence text) {
        return Gsm7Codec.canEncode(text) ? SmsEncoding.GSM7 : SmsEncoding.UCS2;
    }

    /** Encoding and segment count, without building segments. Never throws for long text. */
    public SmsPreview preview(String text) {
        SmsEncoding encoding = encodingFor(text);
        int units = units(text, encoding);
        int segments = units <= single(encoding) ? 1 : cuts(text, encoding).size();
        return new SmsPreview(encoding, segments, units);
    }

    /**
     * Builds the segments of a text.
     *
     * @param reference the concatenation reference, 0..{@link ConcatMode#maxReference()}; the caller
     *                  allocates it per destination so concurrent long messages do not mix
     * @throws MessageTooLongException when the text needs more than 255 segments
     * @throws IllegalArgumentException when the reference is out of range for the mode
     */
    public SmsPlan plan(String text, int reference) {
        if (reference < 0 || reference > mode.maxReference()) {
            throw new IllegalArgumentException(mode + " reference must be 0.." + mode.maxReference() + ", got " + reference);
        }
        SmsEncoding encoding = encodingFor(text);
        int units = units(text, encoding);
        List<Integer> ends = units <= single(encoding) ? List.of(text.length()) : cuts(text, encoding);
        int count = ends.size();
        if (count > MAX_SEGMENTS) {
            throw new MessageTooLongException(count);
        }
        if (count == 1 || mode == ConcatMode.PAYLOAD) {
            SmsSegment only = segment(encoding, text, 1, 1, new byte[0], Optional.empty());
            return new SmsPlan(encoding, mode, reference, units, count, List.of(only));
        }
        List<SmsSegment> segments = new ArrayList<>(count);
        int start = 0;
        for (int i = 0; i < count; i++) {
            int end = ends.get(i);
            int index = i + 1;
            byte[] udh = switch (mode) {
                case UDH8 -> new byte[] {5, IEI_CONCAT_8, 3, (byte) reference, (byte) count, (byte) index};
                case UDH16 -> new byte[] {6, IEI_CONCAT_16, 4, (byte) (reference >>> 8), (byte) reference,
                        (byte) count, (byte) index};
                case SAR, PAYLOAD -> new byte[0];
            };
            Optional<SarValues> sar = mode == ConcatMode.SAR
                    ? Optional.of(new SarValues(reference, count, index)) : Optional.empty();
            segments.add(segment(encoding, text.substring(start, end), index, count, udh, sar));
            start = end;
        }
        return new SmsPlan(encoding, mode, reference, units, count, segments);
    }

    private SmsSegment segment(SmsEncoding encoding, String part, int index, int total, byte[] udh,
                               Optional<SarValues> sar) {
        byte[] payload = encoding.encode(part);
        boolean packed = encoding == SmsEncoding.GSM7 && packing == Gsm7Packing.PACKED;
        if (packed) {
            int fill = udh.length == 0 ? 0 : Gsm7Codec.fillBits(udh.length);
            int septets = payload.length;
            payload = Gsm7Codec.pack(payload, fill);
            if ((fill + 7 * septets) % 8 == 1) {
                // Seven spare bits would read as a trailing '@' (SMPP has no septet count); TS 23.038
                // 6.1.2.3.1 fills them with CR, which receivers ignore.
                payload[payload.length - 1] |= (byte) (CR << 1);
            }
        }
        return new SmsSegment(index, total, udh, payload, packed, sar);
    }

    private static int units(String text, SmsEncoding encoding) {
        return encoding == SmsEncoding.GSM7 ? Gsm7Codec.septetLength(text) : text.length();
    }

    private static int single(SmsEncoding encoding) {
        return encoding == SmsEncoding.GSM7 ? GSM7_SINGLE : UCS2_SINGLE;
    }

    private int perSegment(SmsEncoding encoding) {
        boolean sixteenBit = mode == ConcatMode.UDH16 || mode == ConcatMode.SAR;
        if (encoding == SmsEncoding.GSM7) {
            return sixteenBit ? GSM7_UDH16 : GSM7_UDH8;
        }
        return sixteenBit ? UCS2_UDH16 : UCS2_UDH8;
    }

    // The end index (exclusive, in chars) of each segment, filling greedily by whole characters.
    private List<Integer> cuts(String text, SmsEncoding encoding) {
        int limit = perSegment(encoding);
        List<Integer> ends = new ArrayList<>();
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int chars = 1;
            int width;
            if (encoding == SmsEncoding.GSM7) {
                width = Gsm7Codec.septets(text.charAt(i));
            } else {
                boolean pair = Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                chars = pair ? 2 : 1;
                width = chars;
            }
            if (used + width > limit) {
                ends.add(i);
                used = 0;
            }
            used += width;
            i += chars;
        }
        ends.add(text.length());
        return ends;
    }
}
