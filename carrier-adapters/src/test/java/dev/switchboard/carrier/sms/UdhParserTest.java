package dev.switchboard.carrier.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UdhParserTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void withoutUdhiTheWholeMessageIsPayloadEvenIfItLooksLikeAHeader() {
        UserData data = UdhParser.parse(0x00, hex("0500032a0302"));
        assertEquals(0, data.header().length);
        assertEquals(Optional.empty(), data.concat());
        assertEquals("0500032a0302", HEX.formatHex(data.payload()));
        assertFalse(UdhParser.hasUdh(0x03));
        assertTrue(UdhParser.hasUdh(0x43));
    }

    @Test
    void anEightBitReferenceHeaderGivesReferenceTotalIndexAndThePayload() {
        UserData data = UdhParser.parse(0x40, hex("0500032a0302" + "6869"));
        assertEquals(Optional.of(new ConcatInfo(ConcatMode.UDH8, 0x2A, 3, 2)), data.concat());
        assertEquals("0500032a0302", HEX.formatHex(data.header()));
        assertEquals("6869", HEX.formatHex(data.payload()));
        assertEquals(List.of(), data.otherElements());
    }

    @Test
    void aSixteenBitReferenceHeaderIsReadBigEndian() {
        UserData data = UdhParser.parse(0x40, hex("060804beef0505" + "00410042"));
        assertEquals(Optional.of(new ConcatInfo(ConcatMode.UDH16, 0xBEEF, 5, 5)), data.concat());
        assertEquals("00410042", HEX.formatHex(data.payload()));
    }

    @Test
    void otherElementsAreSkippedAndKeptInOrder() {
        // Turkish single shift (0x24), then concatenation, then application ports (0x05).
        UserData data = UdhParser.parse(0x40, hex("0e" + "240101" + "0003070201" + "05040b8423f0" + "41"));
        assertEquals(Optional.of(new ConcatInfo(ConcatMode.UDH8, 7, 2, 1)), data.concat());
        assertEquals(List.of(new UserData.InformationElement(0x24, hex("01")),
                new UserData.InformationElement(0x05, hex("0b8423f0"))), data.otherElements());
        assertEquals("41", HEX.formatHex(data.payload()));
    }

    @Test
    void anEmptyElementAndAnEmptyHeaderAreAccepted() {
        UserData empty = UdhParser.parse(hex("00" + "41"));
        assertEquals("00", HEX.formatHex(empty.header()));
        assertEquals(Optional.empty(), empty.concat());
        assertEquals("41", HEX.formatHex(empty.payload()));
        UserData zeroLengthIe = UdhParser.parse(hex("027000" + "41"));
        assertEquals(List.of(new UserData.InformationElement(0x70, new byte[0])), zeroLengthIe.otherElements());
    }

    @Test
    void aRepeatedConcatenationElementUsesTheLastOccurrence() {
        UserData data = UdhParser.parse(hex("0a" + "0003010201" + "0003020302"));
        assertEquals(Optional.of(new ConcatInfo(ConcatMode.UDH8, 2, 3, 2)), data.concat());
    }

    @Test
    void aHeaderOfOnlyHeaderHasAnEmptyPayload() {
        UserData data = UdhParser.parse(hex("050003010101"));
        assertEquals(0, data.payload().length);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "empty message, ''",
        "header length beyond the message, 0500030102",
        "header length beyond the message by one, 060003010201",
        "element length beyond the header, 03000301" + "020141",
        "element without a length octet, 010041",
        "second element length runs past the header end, 07000301020170054141",
        "8-bit concatenation too short, 04000201" + "0141",
        "8-bit concatenation too long, 06000401020301" + "41",
        "16-bit concatenation too short, 0508030102" + "0141",
        "total of zero, 050003010001" + "41",
        "index zero, 050003010200" + "41",
        "index beyond total, 050003010203" + "41",
        "16-bit total of zero, 06080400010001" + "41",
        "16-bit index zero, 06080400010200" + "41",
        "16-bit index beyond total, 06080400010203" + "41",
    })
    void truncatedOrInconsistentHeadersAreRejected(String why, String message) {
        byte[] bytes = hex(message);
        assertThrows(MalformedUdhException.class, () -> UdhParser.parse(0x40, bytes), why);
    }

    @Test
    void unpackedGsm7PayloadIsReturnedAsItIs() {
        UserData data = UdhParser.parse(hex("050003010101" + "00616263"));
        assertArrayEquals(hex("00616263"), data.gsm7Septets(Gsm7Packing.UNPACKED));
    }

    @Test
    void packedGsm7AfterAnEightBitHeaderSkipsOneFillBit() {
        // 'A' after one fill bit: 1000001 shifted left by one.
        UserData data = UdhParser.parse(hex("050003010101" + "82"));
        assertArrayEquals(hex("41"), data.gsm7Septets(Gsm7Packing.PACKED));
        UserData hello = UdhParser.parse(hex("050003010101" + "d06536fb0d"));
        assertEquals("hello", Gsm7Codec.decodeUnpacked(hello.gsm7Septets(Gsm7Packing.PACKED)));
    }

    @Test
    void packedGsm7AfterASixteenBitHeaderHasNoFillBits() {
        UserData data = UdhParser.parse(hex("06080400010101" + "e8329bfd06"));
        assertEquals("hello", Gsm7Codec.decodeUnpacked(data.gsm7Septets(Gsm7Packing.PACKED)));
    }

    @Test
    void packedGsm7WithoutHeaderReadsFromTheFirstBit() {
        UserData data = UdhParser.parse(0, hex("e8329bfd4697d9ec37"));
        assertEquals("hellohello", Gsm7Codec.decodeUnpacked(data.gsm7Septets(Gsm7Packing.PACKED)));
    }

    @Test
    void sevenSpareBitsOfZeroOrCarriageReturnAreTakenForPadding() {
        byte[] zeroPadded = Gsm7Codec.pack(Gsm7Codec.encodeUnpacked("abcdefg"), 0);
        assertEquals("abcdefg", Gsm7Codec.decodeUnpacked(UdhParser.parse(0, zeroPadded).gsm7Septets(Gsm7Packing.PACKED)));
        byte[] crPadded = Gsm7Codec.pack(Gsm7Codec.encodeUnpacked("abcdefg\r"), 0);
        assertEquals(7, crPadded.length);
        assertEquals("abcdefg", Gsm7Codec.decodeUnpacked(UdhParser.parse(0, crPadded).gsm7Septets(Gsm7Packing.PACKED)));
        byte[] realLastChar = Gsm7Codec.pack(Gsm7Codec.encodeUnpacked("abcdefgh"), 0);
        assertEquals("abcdefgh", Gsm7Codec.decodeUnpacked(UdhParser.parse(0, realLastChar).gsm7Septets(Gsm7Packing.PACKED)));
    }

    @Test
    void aRealAtInTheSpareSeptetIsIndistinguishableFromPaddingAndIsDropped() {
        byte[] packed = Gsm7Codec.pack(Gsm7Codec.encodeUnpacked("abcdefg@"), 0);
        assertEquals("abcdefg", Gsm7Codec.decodeUnpacked(UdhParser.parse(0, packed).gsm7Septets(Gsm7Packing.PACKED)));
    }

    @Test
    void parsedDataIsImmutable() {
        byte[] message = hex("050003010101" + "41");
        UserData data = UdhParser.parse(message);
        message[6] = 0x42;
        data.payload()[0] = 0x43;
        assertEquals("41", HEX.formatHex(data.payload()));
    }
}
