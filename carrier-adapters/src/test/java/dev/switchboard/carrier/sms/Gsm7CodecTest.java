package dev.switchboard.carrier.sms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Gsm7CodecTest {

    private static final int ESC = -1;

    /**
     * 3GPP TS 23.038 6.2.1, the default alphabet, as Unicode code points indexed by septet; written
     * from the specification's table, not from the code under test.
     */
    private static final int[] DEFAULT_ALPHABET = {
        // 0x00
        0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC,
        0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5,
        // 0x10
        0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8,
        0x03A3, 0x0398, 0x039E, ESC, 0x00C6, 0x00E6, 0x00DF, 0x00C9,
        // 0x20
        0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027,
        0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
        // 0x30
        0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
        0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
        // 0x40
        0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
        0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
        // 0x50
        0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
        0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,
        // 0x60
        0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
        0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
        // 0x70
        0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
        0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
    };

    /** 3GPP TS 23.038 6.2.1.1, the extension table: code after 0x1B -> Unicode code point. */
    private static final Map<Integer, Integer> EXTENSION = Map.of(
            0x0A, 0x000C, // form feed
            0x14, 0x005E, // ^
            0x28, 0x007B, // {
            0x29, 0x007D, // }
            0x2F, 0x005C, // backslash
            0x3C, 0x005B, // [
            0x3D, 0x007E, // ~
            0x3E, 0x005D, // ]
            0x40, 0x007C, // |
            0x65, 0x20AC); // euro sign

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void theSpecTableHas128EntriesWithTheEscapeAt0x1B() {
        assertEquals(128, DEFAULT_ALPHABET.length);
        assertEquals(ESC, DEFAULT_ALPHABET[0x1B]);
    }

    @Test
    void everyDefaultSeptetDecodesToTheCharacterOfTheSpecTable() {
        for (int code = 0; code < 128; code++) {
            if (code == 0x1B) {
                continue;
            }
            String expected = String.valueOf((char) DEFAULT_ALPHABET[code]);
            assertEquals(expected, Gsm7Codec.decodeUnpacked(bytes(code)), String.format("septet 0x%02X", code));
        }
    }

    @Test
    void everyDefaultCharacterEncodesToItsSingleSeptet() {
        for (int code = 0; code < 128; code++) {
            if (code == 0x1B) {
                continue;
            }
            String c = String.valueOf((char) DEFAULT_ALPHABET[code]);
            assertTrue(Gsm7Codec.canEncode(c), c);
            assertEquals(1, Gsm7Codec.septetLength(c), c);
            assertArrayEquals(bytes(code), Gsm7Codec.encodeUnpacked(c), String.format("U+%04X", (int) c.charAt(0)));
        }
    }

    @Test
    void everyExtensionCharacterIsTheEscapeThenItsCodeBothWays() {
        for (Map.Entry<Integer, Integer> e : EXTENSION.entrySet()) {
            String c = String.valueOf((char) e.getValue().intValue());
            assertArrayEquals(bytes(0x1B, e.getKey()), Gsm7Codec.encodeUnpacked(c), c);
            assertEquals(c, Gsm7Codec.decodeUnpacked(bytes(0x1B, e.getKey())), c);
        }
    }

    @Test
    void everyExtensionCharacterTakesTwoSeptets() {
        String all = "^{}\\[~]|€\f";
        for (char c : all.toCharArray()) {
            assertEquals(2, Gsm7Codec.septets(c), String.valueOf(c));
            assertEquals(2, Gsm7Codec.septetLength(String.valueOf(c)), String.valueOf(c));
        }
        assertEquals(20, Gsm7Codec.septetLength(all));
        assertEquals(20 + 3, Gsm7Codec.septetLength("a" + all + "bc"));
    }

    @Test
    void onlyTheCharactersOfTheTwoTablesAreEncodable() {
        Map<Character, Boolean> expected = new HashMap<>();
        for (int cp : DEFAULT_ALPHABET) {
            if (cp != ESC) {
                expected.put((char) cp, true);
            }
        }
        for (int cp : EXTENSION.values()) {
            expected.put((char) cp, true);
        }
        assertEquals(127 + 10, expected.size());
        int encodable = 0;
        for (int c = 0; c <= 0xFFFF; c++) {
            boolean can = Gsm7Codec.canEncode(String.valueOf((char) c));
            assertEquals(expected.containsKey((char) c), can, String.format("U+%04X", c));
            if (can) {
                encodable++;
            }
        }
        assertEquals(137, encodable);
    }

    @Test
    void charactersThatOnlyLookAlikeAreNotEncodable() {
        // Lower-case c cedilla, backtick, the ESC control character, Greek capital alpha, an emoji.
        for (String s : new String[] {"ç", "`", "\u001B", "\u0391", "😀", "\u00A0"}) {
            assertFalse(Gsm7Codec.canEncode(s), s);
            assertThrows(IllegalArgumentException.class, () -> Gsm7Codec.encodeUnpacked(s), s);
            assertThrows(IllegalArgumentException.class, () -> Gsm7Codec.septetLength(s), s);
        }
        assertFalse(Gsm7Codec.canEncode("all fine until ç"));
    }

    @Test
    void atIsSeptetZeroAndNeverEndsTheText() {
        byte[] encoded = Gsm7Codec.encodeUnpacked("@a@@b@");
        assertArrayEquals(bytes(0x00, 0x61, 0x00, 0x00, 0x62, 0x00), encoded);
        assertEquals("@a@@b@", Gsm7Codec.decodeUnpacked(encoded));
        assertEquals("@@@", Gsm7Codec.decodeUnpacked(new byte[3]));
    }

    @Test
    void extensionCodesWithoutACharacterDecodeAsTheDefaultCharacter() {
        for (int code = 0; code < 128; code++) {
            if (EXTENSION.containsKey(code) || code == 0x1B) {
                continue;
            }
            String expected = String.valueOf((char) DEFAULT_ALPHABET[code]);
            assertEquals(expected, Gsm7Codec.decodeUnpacked(bytes(0x1B, code)), String.format("0x1B 0x%02X", code));
        }
    }

    @Test
    void unresolvableEscapesDecodeAsASpace() {
        assertEquals("A ", Gsm7Codec.decodeUnpacked(bytes(0x41, 0x1B)), "trailing lone escape");
        assertEquals(" ", Gsm7Codec.decodeUnpacked(bytes(0x1B)));
        assertEquals("a b", Gsm7Codec.decodeUnpacked(bytes(0x61, 0x1B, 0x1B, 0x62)), "escape to a further table");
    }

    @Test
    void octetsAboveSevenBitsAreNotSeptetsAndDecodeAsReplacement() {
        assertEquals("a\uFFFDb", Gsm7Codec.decodeUnpacked(bytes(0x61, 0x80, 0x62)));
        assertEquals("\uFFFD", Gsm7Codec.decodeUnpacked(bytes(0xFF)));
        assertEquals(" \uFFFDc", Gsm7Codec.decodeUnpacked(bytes(0x1B, 0xE0, 0x63)), "escape before a stray octet");
    }

    @Test
    void packingMatchesTheClassicHellohelloVector() {
        byte[] septets = Gsm7Codec.encodeUnpacked("hellohello");
        byte[] packed = Gsm7Codec.pack(septets, 0);
        assertEquals("e8329bfd4697d9ec37", HexFormat.of().formatHex(packed));
        assertArrayEquals(septets, Gsm7Codec.unpack(packed, 10, 0));
    }

    @ParameterizedTest(name = "{0} with {1} fill bits packs to {2}")
    @CsvSource({
        "A, 0, 41",
        "A, 1, 82",
        "AB, 0, 4121",
        "AB, 1, 8242",
        "AB, 6, 405008",
    })
    void fillBitsComeFirstAndStayZero(String text, int fill, String hex) {
        byte[] septets = Gsm7Codec.encodeUnpacked(text);
        assertEquals(hex, HexFormat.of().formatHex(Gsm7Codec.pack(septets, fill)));
        assertArrayEquals(septets, Gsm7Codec.unpack(HexFormat.of().parseHex(hex), septets.length, fill));
    }

    @Test
    void packAndUnpackAreInversesForEveryFillAndLength() {
        for (int fill = 0; fill <= 6; fill++) {
            for (int n = 0; n <= 24; n++) {
                byte[] septets = new byte[n];
                for (int i = 0; i < n; i++) {
                    septets[i] = (byte) ((i * 37 + fill * 11 + 0x7F) & 0x7F);
                }
                byte[] packed = Gsm7Codec.pack(septets, fill);
                assertEquals((fill + 7 * n + 7) / 8, packed.length, "fill " + fill + " n " + n);
                assertArrayEquals(septets, Gsm7Codec.unpack(packed, n, fill), "fill " + fill + " n " + n);
            }
        }
    }

    @Test
    void fullSegmentsPackIntoTheOctetsTheLimitsAssume() {
        assertEquals(140, Gsm7Codec.pack(new byte[160], 0).length);
        assertEquals(134, Gsm7Codec.pack(new byte[153], Gsm7Codec.fillBits(6)).length);
        assertEquals(133, Gsm7Codec.pack(new byte[152], Gsm7Codec.fillBits(7)).length);
    }

    @Test
    void fillBitsAlignTextAfterTheHeaderToASeptetBoundary() {
        assertEquals(0, Gsm7Codec.fillBits(0));
        assertEquals(1, Gsm7Codec.fillBits(6));
        assertEquals(0, Gsm7Codec.fillBits(7));
        assertEquals(6, Gsm7Codec.fillBits(1));
        assertEquals(2, Gsm7Codec.fillBits(12));
    }

    @Test
    void packingRejectsWhatIsNotASeptetOrAFill() {
        assertThrows(IllegalArgumentException.class, () -> Gsm7Codec.pack(bytes(0x80), 0));
        assertThrows(IllegalArgumentException.class, () -> Gsm7Codec.pack(bytes(0x41), 7));
        assertThrows(IllegalArgumentException.class, () -> Gsm7Codec.pack(bytes(0x41), -1));
        assertThrows(IllegalArgumentException.class, () -> Gsm7Codec.unpack(bytes(0x41), 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Gsm7Codec.unpack(bytes(0x41), 1, 2));
    }
}
