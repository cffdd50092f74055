package dev.switchboard.carrier.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SegmenterTest {

    private static final String EMOJI = "😀"; // U+1F600, D83D DE00
    private static final String CYRILLIC = "ж"; // outside GSM, one UTF-16 unit

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    private static int[] payloadLengths(SmsPlan plan) {
        return plan.segments().stream().mapToInt(s -> s.payload().length).toArray();
    }

    @Test
    void textThatFitsTheGsmTablesGoesAsGsm7WithDataCodingZero() {
        SmsPlan plan = new Segmenter().plan("Ciao, è già l'una? Costa 5€ {ok} @home", 0);
        assertEquals(SmsEncoding.GSM7, plan.encoding());
        assertEquals(0x00, plan.dataCoding());
    }

    @Test
    void oneCharacterOutsideTheTablesMakesTheWholeTextUcs2() {
        SmsPlan plan = new Segmenter().plan("Ciao, ça va?", 0);
        assertEquals(SmsEncoding.UCS2, plan.encoding());
        assertEquals(0x08, plan.dataCoding());
        assertEquals(SmsEncoding.UCS2, new Segmenter().plan("hi " + EMOJI, 0).encoding());
    }

    @ParameterizedTest(name = "{0} septets -> {1} segments")
    @CsvSource({
        "0, 1", "1, 1", "160, 1", "161, 2",
        "306, 2", "307, 3", "459, 3", "460, 4", "612, 4", "613, 5", "765, 5", "766, 6",
        "15300, 100", "15301, 101", "39015, 255",
    })
    void gsm7SegmentCountsAtEveryBoundaryWithAn8BitReference(int septets, int segments) {
        String text = repeat("a", septets);
        SmsPlan plan = new Segmenter(ConcatMode.UDH8).plan(text, 7);
        assertEquals(segments, plan.segments().size());
        assertEquals(segments, plan.smsCount());
        assertEquals(septets, plan.units());
        assertEquals(new SmsPreview(SmsEncoding.GSM7, segments, septets), new Segmenter().preview(text));
        int[] lengths = payloadLengths(plan);
        assertEquals(septets, Arrays.stream(lengths).sum());
        int limit = segments == 1 ? 160 : 153;
        for (int i = 0; i < lengths.length - 1; i++) {
            assertEquals(limit, lengths[i], "segment " + (i + 1) + " is full");
        }
    }

    @ParameterizedTest(name = "{0} units -> {1} segments")
    @CsvSource({
        "70, 1", "71, 2", "134, 2", "135, 3", "201, 3", "202, 4", "268, 4", "269, 5",
        "6700, 100", "6701, 101", "17085, 255",
    })
    void ucs2SegmentCountsAtEveryBoundaryWithAn8BitReference(int units, int segments) {
        String text = repeat(CYRILLIC, units);
        SmsPlan plan = new Segmenter().plan(text, 7);
        assertEquals(SmsEncoding.UCS2, plan.encoding());
        assertEquals(segments, plan.segments().size());
        assertEquals(units, plan.units());
        int[] lengths = payloadLengths(plan);
        assertEquals(2 * units, Arrays.stream(lengths).sum());
        int limit = segments == 1 ? 140 : 134;
        for (int i = 0; i < lengths.length - 1; i++) {
            assertEquals(limit, lengths[i], "segment " + (i + 1) + " is full");
        }
    }

    @ParameterizedTest(name = "{0}: {1} septets -> {2} segments")
    @CsvSource({
        "UDH16, 160, 1", "UDH16, 161, 2", "UDH16, 304, 2", "UDH16, 305, 3", "UDH16, 456, 3", "UDH16, 457, 4",
        "SAR, 160, 1", "SAR, 161, 2", "SAR, 304, 2", "SAR, 305, 3",
    })
    void gsm7SegmentsHold152SeptetsBehindA16BitReference(ConcatMode mode, int septets, int segments) {
        SmsPlan plan = new Segmenter(mode).plan(repeat("a", septets), 300);
        assertEquals(segments, plan.segments().size());
        if (segments > 1) {
            assertEquals(152, plan.segments().get(0).payload().length);
        }
    }

    @ParameterizedTest(name = "{0}: {1} units -> {2} segments")
    @CsvSource({
        "UDH16, 70, 1", "UDH16, 71, 2", "UDH16, 132, 2", "UDH16, 133, 3", "UDH16, 198, 3", "UDH16, 199, 4",
        "SAR, 70, 1", "SAR, 71, 2", "SAR, 132, 2", "SAR, 133, 3",
    })
    void ucs2SegmentsHold66UnitsBehindA16BitReference(ConcatMode mode, int units, int segments) {
        SmsPlan plan = new Segmenter(mode).plan(repeat(CYRILLIC, units), 300);
        assertEquals(segments, plan.segments().size());
        if (segments > 1) {
            assertEquals(132, plan.segments().get(0).payload().length);
        }
    }

    @Test
    void extensionCharactersCountTwiceAgainstTheSingleMessageLimit() {
        assertEquals(1, new Segmenter().plan(repeat("a", 158) + "€", 0).segments().size());
        assertEquals(2, new Segmenter().plan(repeat("a", 159) + "€", 0).segments().size());
        assertEquals(1, new Segmenter().plan(repeat("€", 80), 0).segments().size());
        assertEquals(2, new Segmenter().plan(repeat("€", 80) + "a", 0).segments().size());
    }

    @Test
    void anEscapeSequenceStraddlingASegmentBoundaryMovesWholeToTheNextSegment() {
        SmsPlan plan = new Segmenter().plan(repeat("a", 152) + "€" + repeat("b", 10), 1);
        assertEquals(2, plan.segments().size());
        byte[] first = plan.segments().get(0).payload();
        byte[] second = plan.segments().get(1).payload();
        assertEquals(152, first.length, "the escape does not fit the 153rd septet alone");
        assertNotEquals(0x1B, first[first.length - 1]);
        assertEquals(0x1B, second[0]);
        assertEquals(0x65, second[1]);
        assertEquals(12, second.length);
    }

    @Test
    void anEscapeSequenceEndingExactlyOnTheBoundaryStaysInItsSegment() {
        SmsPlan plan = new Segmenter().plan(repeat("a", 151) + "€" + repeat("b", 10), 1);
        byte[] first = plan.segments().get(0).payload();
        assertEquals(153, first.length);
        assertEquals(0x1B, first[151]);
        assertEquals(0x65, first[152]);
    }

    @Test
    void aRunOfExtensionCharactersSplitsOnlyBetweenCharacters() {
        SmsPlan plan = new Segmenter().plan(repeat("€", 200), 1);
        assertArrayEquals(new int[] {152, 152, 96}, payloadLengths(plan));
        for (SmsSegment s : plan.segments()) {
            byte[] p = s.payload();
            assertEquals(0x1B, p[0]);
            assertEquals(0x65, p[p.length - 1]);
        }
    }

    @Test
    void anEmojiStraddlingAUcs2SegmentBoundaryMovesWholeToTheNextSegment() {
        SmsPlan plan = new Segmenter().plan(repeat(CYRILLIC, 66) + EMOJI + repeat(CYRILLIC, 5), 1);
        assertEquals(2, plan.segments().size());
        byte[] first = plan.segments().get(0).payload();
        byte[] second = plan.segments().get(1).payload();
        assertEquals(132, first.length, "66 units: the pair does not fit the 67th unit alone");
        assertEquals("d83dde00", HexFormat.of().formatHex(second, 0, 4));
        assertEquals(14, second.length);
    }

    @Test
    void anEmojiEndingExactlyOnTheUcs2BoundaryStaysInItsSegment() {
        SmsPlan plan = new Segmenter().plan(repeat(CYRILLIC, 65) + EMOJI + repeat(CYRILLIC, 5), 1);
        byte[] first = plan.segments().get(0).payload();
        assertEquals(134, first.length);
        assertEquals("d83dde00", HexFormat.of().formatHex(first, 130, 134));
    }

    @Test
    void anEmojiCountsTwoAgainstTheSingleMessageLimit() {
        assertEquals(1, new Segmenter().plan(repeat(CYRILLIC, 68) + EMOJI, 0).segments().size());
        SmsPlan two = new Segmenter().plan(repeat(CYRILLIC, 69) + EMOJI, 0);
        assertEquals(2, two.segments().size());
        assertEquals(71, two.units());
    }

    @Test
    void anEmojiStraddlingA16BitReferenceBoundaryMovesToo() {
        SmsPlan plan = new Segmenter(ConcatMode.UDH16).plan(repeat(CYRILLIC, 65) + EMOJI + repeat(CYRILLIC, 5), 1);
        assertEquals(130, plan.segments().get(0).payload().length);
        assertEquals("d83dde00", HexFormat.of().formatHex(plan.segments().get(1).payload(), 0, 4));
    }

    @Test
    void udh8IsIei0WithAnOctetReferenceTotalAndIndex() {
        SmsPlan plan = new Segmenter(ConcatMode.UDH8).plan(repeat("a", 161), 0xAB);
        assertEquals(0xAB, plan.reference());
        SmsSegment first = plan.segments().get(0);
        SmsSegment second = plan.segments().get(1);
        assertEquals("050003ab0201", HexFormat.of().formatHex(first.udh()));
        assertEquals("050003ab0202", HexFormat.of().formatHex(second.udh()));
        assertTrue(first.udhi());
        assertFalse(first.packed());
        assertEquals(Optional.empty(), first.sar());
        assertEquals(1, first.index());
        assertEquals(2, second.index());
        assertEquals(2, second.total());
        byte[] wire = first.shortMessage();
        assertEquals(6 + 153, wire.length);
        assertEquals("050003ab0201" + "61".repeat(153), HexFormat.of().formatHex(wire));
    }

    @Test
    void udh16IsIei8WithABigEndianReference() {
        SmsPlan plan = new Segmenter(ConcatMode.UDH16).plan(repeat(CYRILLIC, 71), 0x1234);
        assertEquals("0608041234" + "0201", HexFormat.of().formatHex(plan.segments().get(0).udh()));
        assertEquals("0608041234" + "0202", HexFormat.of().formatHex(plan.segments().get(1).udh()));
        assertEquals(7 + 132, plan.segments().get(0).shortMessage().length);
    }

    @Test
    void sarModeGivesTheTlvValuesAndNoHeader() {
        SmsPlan plan = new Segmenter(ConcatMode.SAR).plan(repeat("a", 400), 0xBEEF);
        assertEquals(3, plan.segments().size());
        for (int i = 0; i < 3; i++) {
            SmsSegment s = plan.segments().get(i);
            assertEquals(0, s.udh().length);
            assertFalse(s.udhi());
            assertEquals(Optional.of(new SarValues(0xBEEF, 3, i + 1)), s.sar());
            assertArrayEquals(s.payload(), s.shortMessage());
        }
        assertArrayEquals(new int[] {152, 152, 96}, payloadLengths(plan));
    }

    @Test
    void aTextThatFitsOneSmsHasNoHeaderAndNoSarValuesInAnyMode() {
        for (ConcatMode mode : ConcatMode.values()) {
            SmsPlan plan = new Segmenter(mode).plan(repeat("a", 160), 9);
            assertEquals(1, plan.segments().size(), mode.name());
            SmsSegment only = plan.segments().get(0);
            assertEquals(0, only.udh().length, mode.name());
            assertEquals(Optional.empty(), only.sar(), mode.name());
            assertEquals(160, only.payload().length, mode.name());
        }
    }

    @Test
    void payloadModeSendsOneUnsplitPduAndCountsWhatTheHandsetReceives() {
        String gsm = repeat("a", 1000);
        SmsPlan plan = new Segmenter(ConcatMode.PAYLOAD).plan(gsm, 0);
        assertEquals(1, plan.segments().size());
        assertEquals(7, plan.smsCount());
        SmsSegment only = plan.segments().get(0);
        assertEquals(0, only.udh().length);
        assertEquals(Optional.empty(), only.sar());
        assertArrayEquals(Gsm7Codec.encodeUnpacked(gsm), only.payload());
        assertEquals(new SmsPreview(SmsEncoding.GSM7, 7, 1000), new Segmenter(ConcatMode.PAYLOAD).preview(gsm));

        SmsPlan ucs2 = new Segmenter(ConcatMode.PAYLOAD).plan(repeat(CYRILLIC, 500), 0);
        assertEquals(1, ucs2.segments().size());
        assertEquals(8, ucs2.smsCount());
        assertEquals(1000, ucs2.segments().get(0).payload().length);
    }

    @ParameterizedTest
    @EnumSource(ConcatMode.class)
    void moreThan255SegmentsIsRefused(ConcatMode mode) {
        int perSegment = mode == ConcatMode.UDH16 || mode == ConcatMode.SAR ? 152 : 153;
        String fits = repeat("a", 255 * perSegment);
        String tooLong = fits + "a";
        Segmenter segmenter = new Segmenter(mode);
        assertEquals(255, segmenter.plan(fits, 1).smsCount());
        MessageTooLongException e = assertThrows(MessageTooLongException.class, () -> segmenter.plan(tooLong, 1));
        assertEquals(256, e.segments());
        SmsPreview preview = segmenter.preview(tooLong);
        assertEquals(256, preview.segments());
        assertFalse(preview.sendable());
        assertTrue(segmenter.preview(fits).sendable());
    }

    @Test
    void aReferenceOutsideTheModesRangeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new Segmenter(ConcatMode.UDH8).plan("x", 256));
        assertThrows(IllegalArgumentException.class, () -> new Segmenter(ConcatMode.UDH8).plan("x", -1));
        assertThrows(IllegalArgumentException.class, () -> new Segmenter(ConcatMode.UDH16).plan("x", 0x10000));
        assertThrows(IllegalArgumentException.class, () -> new Segmenter(ConcatMode.SAR).plan("x", 0x10000));
        assertEquals(0xFFFF, new Segmenter(ConcatMode.UDH16).plan(repeat("a", 200), 0xFFFF).reference());
    }

    @Test
    void previewOfAnEmptyTextIsOneEmptyGsmSms() {
        assertEquals(new SmsPreview(SmsEncoding.GSM7, 1, 0), new Segmenter().preview(""));
        SmsPlan plan = new Segmenter().plan("", 0);
        assertEquals(0, plan.segments().get(0).payload().length);
    }

    @Test
    void previewAgreesWithThePlan() {
        for (String text : List.of("hello", repeat("€", 100), repeat(CYRILLIC, 140) + EMOJI, repeat("x", 1000))) {
            for (ConcatMode mode : ConcatMode.values()) {
                Segmenter segmenter = new Segmenter(mode);
                assertEquals(segmenter.plan(text, 1).preview(), segmenter.preview(text), mode + " " + text.length());
            }
        }
    }

    @Test
    void packedGsm7FillsTheOctetsTheLimitsAssume() {
        SmsPlan udh8 = new Segmenter(ConcatMode.UDH8, Gsm7Packing.PACKED).plan(repeat("a", 161), 1);
        assertTrue(udh8.segments().get(0).packed());
        assertEquals(134, udh8.segments().get(0).payload().length, "1 fill bit + 153 septets");
        assertEquals(140, udh8.segments().get(0).shortMessage().length);
        byte[] unpacked = Gsm7Codec.unpack(udh8.segments().get(0).payload(), 153, 1);
        assertArrayEquals(Gsm7Codec.encodeUnpacked(repeat("a", 153)), unpacked);

        SmsPlan udh16 = new Segmenter(ConcatMode.UDH16, Gsm7Packing.PACKED).plan(repeat("a", 161), 1);
        assertEquals(133, udh16.segments().get(0).payload().length, "no fill bits + 152 septets");
        assertEquals(140, udh16.segments().get(0).shortMessage().length);

        SmsPlan single = new Segmenter(ConcatMode.UDH8, Gsm7Packing.PACKED).plan(repeat("a", 160), 1);
        assertEquals(140, single.segments().get(0).payload().length);
    }

    @Test
    void packedGsm7FillsSevenSpareBitsWithCarriageReturn() {
        SmsSegment s = new Segmenter(ConcatMode.UDH8, Gsm7Packing.PACKED).plan("aaaaaaa", 1).segments().get(0);
        byte[] payload = s.payload();
        assertEquals(7, payload.length);
        assertEquals(0x0D, (payload[6] & 0xFF) >>> 1);
        assertArrayEquals(Gsm7Codec.encodeUnpacked("aaaaaaa\r"), Gsm7Codec.unpack(payload, 8, 0));
    }

    @Test
    void ucs2IsNeverMarkedPacked() {
        SmsPlan plan = new Segmenter(ConcatMode.UDH8, Gsm7Packing.PACKED).plan(repeat(CYRILLIC, 80), 1);
        assertFalse(plan.segments().get(0).packed());
        assertEquals(134, plan.segments().get(0).payload().length);
    }

    @Test
    void anUnpairedSurrogateGoesThroughAsOneUcs2Unit() {
        SmsPlan plan = new Segmenter().plan("a\uD83Db", 0);
        assertEquals(SmsEncoding.UCS2, plan.encoding());
        assertEquals(3, plan.units());
        assertEquals("0061d83d0062", HexFormat.of().formatHex(plan.segments().get(0).payload()));
    }

    @Test
    void segmentsAreImmutable() {
        SmsSegment s = new Segmenter().plan(repeat("a", 200), 3).segments().get(0);
        s.udh()[4] = 99;
        s.payload()[0] = 0;
        assertEquals("050003030201", HexFormat.of().formatHex(s.udh()));
        assertEquals(0x61, s.payload()[0]);
    }
}
