package dev.switchboard.carrier.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataCodingReaderTest {

    // 0x00 0x24 0x5F 0xE8: '@', currency sign, section sign in GSM; NUL, '$', '_', e-grave in Latin-1.
    private static final byte[] AMBIGUOUS = HexFormat.of().parseHex("00245fe8");

    @Test
    void dataCodingZeroAsGsm7ReadsUnpackedSeptets() {
        DataCodingReader reader = new DataCodingReader(DataCoding0.GSM7);
        assertEquals("@¤§\uFFFD", reader.decode(0, AMBIGUOUS));
        assertEquals("Ciao @ te, è 5€", reader.decode(0, Gsm7Codec.encodeUnpacked("Ciao @ te, è 5€")));
        assertEquals(SmsEncoding.GSM7, reader.resolve(0).encoding());
    }

    @Test
    void dataCodingZeroAsLatin1ReadsIso88591() {
        DataCodingReader reader = new DataCodingReader(DataCoding0.LATIN1);
        assertEquals("\uFFFD$_è", reader.decode(0, AMBIGUOUS), "NUL is never passed on");
        assertEquals(SmsEncoding.LATIN1, reader.resolve(0).encoding());
    }

    @Test
    void dataCodingZeroAsAsciiReadsSevenBitAsciiAndReplacesTheRest() {
        DataCodingReader reader = new DataCodingReader(DataCoding0.ASCII);
        assertEquals("\uFFFD$_\uFFFD", reader.decode(0, AMBIGUOUS));
        assertEquals(SmsEncoding.ASCII, reader.resolve(0).encoding());
    }

    @Test
    void dataCodingOneIsIa5UnlessTheCarrierIsAnNpmSmppPeer() {
        byte[] npmGsm = Gsm7Codec.encodeUnpacked("@home $5 è");
        assertEquals("\uFFFDhome \u00025 \u0004", new DataCodingReader(DataCoding0.GSM7).decode(1, npmGsm));
        assertEquals("@home $5 è", new DataCodingReader(DataCoding0.GSM7, DataCoding1.GSM7).decode(1, npmGsm));
        assertEquals("@home $5", new DataCodingReader(DataCoding0.LATIN1, DataCoding1.IA5)
                .decode(1, "@home $5".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void dataCodingThreeIsLatin1WhateverDataCodingZeroMeans() {
        byte[] latin1 = "àèéìòù «ok» ©".getBytes(StandardCharsets.ISO_8859_1);
        for (DataCoding0 meaning : DataCoding0.values()) {
            assertEquals("àèéìòù «ok» ©", new DataCodingReader(meaning).decode(3, latin1), meaning.name());
        }
    }

    @Test
    void dataCodingEightIsUtf16BigEndianWithSurrogatePairs() {
        String text = "Perché “sì” 😀👍🏽 €";
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16BE);
        assertEquals(text, new DataCodingReader(DataCoding0.GSM7).decode(8, utf16));
        assertEquals("00410042", HexFormat.of().formatHex(SmsEncoding.UCS2.encode("AB")));
    }

    @Test
    void dataCodingEightDoesNoByteOrderMarkDetection() {
        DataCodingReader reader = new DataCodingReader(DataCoding0.GSM7);
        assertEquals("\uFEFFA", reader.decode(8, HexFormat.of().parseHex("feff0041")));
        assertEquals("\uFFFE\u4100", reader.decode(8, HexFormat.of().parseHex("fffe4100")), "not read as little-endian");
    }

    @ParameterizedTest(name = "0x{0} is UCS-2 class {1}")
    @CsvSource({"18, 0", "19, 1", "1a, 2", "1b, 3", "58, 0", "59, 1"})
    void ucs2WithAMessageClassDecodesAsUtf16(String hex, int messageClass) {
        int value = Integer.parseInt(hex, 16);
        ReceivedCoding coding = new DataCodingReader(DataCoding0.LATIN1).resolve(value);
        assertEquals(SmsEncoding.UCS2, coding.encoding());
        assertEquals(OptionalInt.of(messageClass), coding.messageClass());
        assertEquals(value, coding.dataCoding());
        assertEquals("ciao 😀", coding.decode("ciao 😀".getBytes(StandardCharsets.UTF_16BE)));
    }

    @ParameterizedTest(name = "0x{0} is GSM 7-bit class {1}")
    @CsvSource({"10, 0", "11, 1", "12, 2", "13, 3", "f0, 0", "f1, 1", "f2, 2", "f3, 3", "50, 0"})
    void gsm7WithAMessageClassDecodesAsSeptetsEvenWhereDataCodingZeroIsLatin1(String hex, int messageClass) {
        int value = Integer.parseInt(hex, 16);
        ReceivedCoding coding = new DataCodingReader(DataCoding0.LATIN1).resolve(value);
        assertEquals(SmsEncoding.GSM7, coding.encoding());
        assertEquals(OptionalInt.of(messageClass), coding.messageClass());
        assertEquals("@ è €", coding.decode(Gsm7Codec.encodeUnpacked("@ è €")));
    }

    @ParameterizedTest(name = "0x{0} is {1} without a class")
    @CsvSource({"c0, GSM7", "c8, GSM7", "d0, GSM7", "df, GSM7", "e0, UCS2", "ef, UCS2", "40, GSM7", "48, UCS2"})
    void messageWaitingAndAutoDeleteGroupsCarryTextWithoutAClass(String hex, SmsEncoding encoding) {
        ReceivedCoding coding = new DataCodingReader(DataCoding0.ASCII).resolve(Integer.parseInt(hex, 16));
        assertEquals(encoding, coding.encoding());
        assertEquals(OptionalInt.empty(), coding.messageClass());
    }

    @Test
    void aSignedByteFromJsmppMeansTheUnsignedOctet() {
        DataCodingReader reader = new DataCodingReader(DataCoding0.GSM7);
        assertEquals(reader.resolve(0xF1), reader.resolve((byte) 0xF1));
        assertEquals(0xF1, reader.resolve((byte) 0xF1).dataCoding());
    }

    @ParameterizedTest(name = "0x{0}")
    @ValueSource(strings = {
        "02", "04", "05", "06", "07", "09", "0a", "0b", "0c", "0d", "0e", "0f",
        "14", "17", "1c", "1f", "20", "2b", "3f", "44", "5c", "60", "7f",
        "80", "9a", "bf", "f4", "f7", "f8", "ff",
    })
    void reservedAndNonTextValuesThrowCarryingTheValue(String hex) {
        int value = Integer.parseInt(hex, 16);
        DataCodingReader reader = new DataCodingReader(DataCoding0.GSM7, DataCoding1.GSM7);
        UnsupportedDataCodingException e = assertThrows(UnsupportedDataCodingException.class, () -> reader.resolve(value));
        assertEquals(value, e.dataCoding());
        assertTrue(e.getMessage().startsWith(String.format("data_coding 0x%02X", value)), e.getMessage());
        assertThrows(UnsupportedDataCodingException.class, () -> reader.decode(value, new byte[] {0x41}));
    }

    @Test
    void valuesOutsideAnOctetThrow() {
        DataCodingReader reader = new DataCodingReader(DataCoding0.GSM7);
        assertThrows(UnsupportedDataCodingException.class, () -> reader.resolve(256));
        assertThrows(UnsupportedDataCodingException.class, () -> reader.resolve(-129));
    }

    @org.junit.jupiter.api.Test
    void nulOctetNeverBecomesANulCharacter() {
        DataCodingReader reader = new DataCodingReader(DataCoding0.GSM7);
        org.junit.jupiter.api.Assertions.assertEquals("a\uFFFDb", reader.decode(1, new byte[] {'a', 0x00, 'b'}));
        org.junit.jupiter.api.Assertions.assertEquals("a\uFFFDb", reader.decode(3, new byte[] {'a', 0x00, 'b'}));
        org.junit.jupiter.api.Assertions.assertEquals("a@b", reader.decode(0, new byte[] {'a', 0x00, 'b'}), "GSM 0x00 is '@'");
    }
}
