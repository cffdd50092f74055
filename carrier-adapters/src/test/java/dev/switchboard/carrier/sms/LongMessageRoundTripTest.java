package dev.switchboard.carrier.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Outbound text through segmentation, the wire (UDH octets + payload, or SAR TLV values), inbound
 * parsing, out-of-order and duplicated arrival, reassembly and decoding, and back unchanged.
 */
class LongMessageRoundTripTest {

    private static final String ITALIAN_WITH_EMOJI =
            "Ciao Niccolò! Perché non è già arrivato il pacco? L'università è lì, però il caffè costa 2,50 € "
            + "e tu dici “ottimo” 😀. «Sì, è così», rispose; ‘va bene’ 👍🏽 — ci vediamo giù in città 🇮🇹. "
            + "Più tardi andrò là: è l'età dell'oro, ma però... \"virgolette\" e 'apici' 🍕🍝☕. ";

    private static final String ITALIAN_GSM =
            "Ciao Niccolò! Perché non è già arrivato il pacco? L'università è lì, però il caffè costa 2,50 € "
            + "e tu dici \"ottimo\" [davvero] {sì} ~ ^ | \\ @casa. Più tardi andrò là: è l'età dell'oro; Ç Ø Å Æ ß É. ";

    private static String codePoints(String phrase, int count) {
        StringBuilder text = new StringBuilder();
        while (text.codePointCount(0, text.length()) < count) {
            text.append(phrase);
        }
        int end = text.offsetByCodePoints(0, count);
        return text.substring(0, end);
    }

    private record Wire(int esmClass, byte[] shortMessage, Optional<SarValues> sar) {
    }

    private static List<Wire> send(SmsPlan plan) {
        List<Wire> wire = new ArrayList<>();
        for (SmsSegment s : plan.segments()) {
            wire.add(new Wire(s.udhi() ? UdhParser.UDHI : 0, s.shortMessage(), s.sar()));
        }
        return wire;
    }

    private static String receive(List<Wire> arrivals, int dataCoding, Gsm7Packing packing) {
        DataCodingReader reader = new DataCodingReader(DataCoding0.GSM7);
        ReceivedCoding coding = reader.resolve(dataCoding);
        Map<Integer, byte[]> byIndex = new TreeMap<>();
        int total = -1;
        for (Wire w : arrivals) {
            UserData data = UdhParser.parse(w.esmClass(), w.shortMessage());
            ConcatInfo concat = data.concat().orElseGet(() -> w.sar()
                    .map(s -> new ConcatInfo(ConcatMode.SAR, s.msgRefNum(), s.totalSegments(), s.segmentSeqnum()))
                    .orElse(new ConcatInfo(ConcatMode.UDH8, 0, 1, 1)));
            if (total >= 0) {
                assertEquals(total, concat.total(), "every segment agrees on the total");
            }
            total = concat.total();
            byte[] payload = coding.encoding() == SmsEncoding.GSM7 ? data.gsm7Septets(packing) : data.payload();
            byIndex.putIfAbsent(concat.index(), payload);
        }
        assertEquals(total, byIndex.size(), "every segment arrived");
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        byIndex.values().forEach(joined::writeBytes);
        return coding.decode(joined.toByteArray());
    }

    private static List<Wire> shuffledWithADuplicate(List<Wire> wire, long seed) {
        List<Wire> arrivals = new ArrayList<>(wire);
        arrivals.add(wire.get(wire.size() / 2));
        Collections.shuffle(arrivals, new Random(seed));
        return arrivals;
    }

    @Test
    void theTestTextsAreWhatTheyClaimToBe() {
        String ucs2 = codePoints(ITALIAN_WITH_EMOJI, 1000);
        assertEquals(1000, ucs2.codePointCount(0, ucs2.length()));
        assertTrue(ucs2.length() > 1000, "emoji make it longer in UTF-16 units");
        assertFalse(Gsm7Codec.canEncode(ucs2));
        String gsm = codePoints(ITALIAN_GSM, 1000);
        assertEquals(1000, gsm.length());
        assertTrue(Gsm7Codec.canEncode(gsm));
        assertTrue(Gsm7Codec.septetLength(gsm) > 1000, "escapes make it longer in septets");
    }

    @ParameterizedTest
    @EnumSource(value = ConcatMode.class, names = {"UDH8", "UDH16", "SAR"})
    void italianTextWithEmojiSurvivesSegmentWireParseShuffleReassembleDecode(ConcatMode mode) {
        String text = codePoints(ITALIAN_WITH_EMOJI, 1000);
        SmsPlan plan = new Segmenter(mode).plan(text, mode == ConcatMode.UDH8 ? 0xC3 : 0xC3A5);
        assertEquals(SmsEncoding.UCS2, plan.encoding());
        assertTrue(plan.segments().size() >= 15, "really concatenated: " + plan.segments().size());
        for (SmsSegment s : plan.segments()) {
            String alone = SmsEncoding.UCS2.decode(s.payload());
            assertFalse(alone.contains("\uFFFD"), "segment " + s.index() + " holds whole surrogate pairs");
        }
        for (long seed = 1; seed <= 5; seed++) {
            assertEquals(text, receive(shuffledWithADuplicate(send(plan), seed), plan.dataCoding(), Gsm7Packing.UNPACKED),
                    mode + " seed " + seed);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ConcatMode.class, names = {"UDH8", "UDH16", "SAR"})
    void italianGsmTextWithEscapesSurvivesTheRoundTripUnpacked(ConcatMode mode) {
        String text = codePoints(ITALIAN_GSM, 1000);
        SmsPlan plan = new Segmenter(mode).plan(text, 0x42);
        assertEquals(SmsEncoding.GSM7, plan.encoding());
        assertTrue(plan.segments().size() >= 7, "really concatenated: " + plan.segments().size());
        for (SmsSegment s : plan.segments()) {
            byte[] p = s.payload();
            assertNotEquals(Gsm7Codec.ESCAPE, p[p.length - 1], "segment " + s.index() + " does not end in an escape");
        }
        for (long seed = 1; seed <= 5; seed++) {
            assertEquals(text, receive(shuffledWithADuplicate(send(plan), seed), plan.dataCoding(), Gsm7Packing.UNPACKED),
                    mode + " seed " + seed);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ConcatMode.class, names = {"UDH8", "UDH16"})
    void italianGsmTextSurvivesTheRoundTripPackedWithFillBits(ConcatMode mode) {
        String text = codePoints(ITALIAN_GSM, 1000);
        SmsPlan plan = new Segmenter(mode, Gsm7Packing.PACKED).plan(text, 0x42);
        assertTrue(plan.segments().stream().allMatch(SmsSegment::packed));
        assertTrue(plan.segments().stream().allMatch(s -> s.shortMessage().length <= 140));
        for (long seed = 1; seed <= 5; seed++) {
            assertEquals(text, receive(shuffledWithADuplicate(send(plan), seed), plan.dataCoding(), Gsm7Packing.PACKED),
                    mode + " seed " + seed);
        }
    }

    @Test
    void italianTextWithEmojiSurvivesAsOneMessagePayload() {
        String text = codePoints(ITALIAN_WITH_EMOJI, 1000);
        SmsPlan plan = new Segmenter(ConcatMode.PAYLOAD).plan(text, 0);
        assertEquals(1, plan.segments().size());
        assertEquals(text, receive(send(plan), plan.dataCoding(), Gsm7Packing.UNPACKED));
    }
}
