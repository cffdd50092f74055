package dev.switchboard.carrier.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.carrier.sms.SmsEncoding;
import dev.switchboard.inbox.messages.FragmentStore.Segment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text of a reassembled set: raw payloads joined before decoding, gap markers where parts are missing. */
class SegmentJoinerTest {
    private final SegmentJoiner joiner = new SegmentJoiner();

    private static Segment ucs2(int part, byte[] payload) {
        return new Segment(part, 8, "UCS2", payload);
    }

    private static Segment gsm7(int part, byte[] payload) {
        return new Segment(part, 0, "GSM7", payload);
    }

    @Test
    void surrogatePairAndEvenAUtf16UnitSplitAcrossSegmentsSurvive() {
        byte[] bytes = "ciao 😊 €".getBytes(StandardCharsets.UTF_16BE);
        // Cut inside the emoji's pair, and inside the euro sign's two octets.
        int inPair = 2 * "ciao ".length() + 2;
        int inUnit = bytes.length - 1;
        List<Segment> parts = List.of(ucs2(1, Arrays.copyOfRange(bytes, 0, inPair)), ucs2(2, Arrays.copyOfRange(bytes, inPair, inUnit)),
                ucs2(3, Arrays.copyOfRange(bytes, inUnit, bytes.length)));
        assertEquals("ciao 😊 €", joiner.join(3, parts));
    }

    @Test
    void gsm7EscapeSplitAcrossSegmentsSurvives() {
        byte[] first = SmsEncoding.GSM7.encode("costa 5");
        byte[] withEscape = Arrays.copyOf(first, first.length + 1);
        withEscape[first.length] = 0x1B;
        byte[] second = new byte[] {0x65, 0x21};
        assertEquals("costa 5€!", joiner.join(2, List.of(gsm7(1, withEscape), gsm7(2, second))));
    }

    @Test
    void partsAreJoinedInPartOrderWhateverTheListOrder() {
        List<Segment> parts = List.of(gsm7(3, SmsEncoding.GSM7.encode("c")), gsm7(1, SmsEncoding.GSM7.encode("a")),
                gsm7(2, SmsEncoding.GSM7.encode("b")));
        assertEquals("abc", joiner.join(3, parts));
    }

    @Test
    void eachMissingPartBecomesAVisibleMarkerWhereItBelongs() {
        List<Segment> parts = List.of(gsm7(2, SmsEncoding.GSM7.encode("two")), gsm7(5, SmsEncoding.GSM7.encode("five")));
        assertEquals("[…missing part 1 of 6…]two[…missing part 3 of 6…][…missing part 4 of 6…]five[…missing part 6 of 6…]",
                joiner.join(6, parts));
        assertEquals("[…missing part 2 of 3…]", SegmentJoiner.gapMarker(2, 3));
    }

    @Test
    void aNulOctetBecomesTheReplacementCharacterAsInASingleSms() {
        List<Segment> parts = List.of(new Segment(1, 3, "LATIN1", new byte[] {'a', 0}), new Segment(2, 3, "LATIN1", new byte[] {'b'}));
        assertEquals("a\uFFFDb", joiner.join(2, parts));
    }

    @Test
    void partsThatDisagreeOnDataCodingAreDecodedEachWithItsOwn() {
        List<Segment> parts = List.of(gsm7(1, SmsEncoding.GSM7.encode("è ")),
                ucs2(2, "più ".getBytes(StandardCharsets.UTF_16BE)),
                new Segment(3, 3, "LATIN1", "così".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("è più così", joiner.join(3, parts));
    }
}
