package dev.switchboard.crypto;

import static dev.switchboard.crypto.Hex.bytes;
import static dev.switchboard.crypto.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** RFC 5869 appendix A.1 to A.3 (the SHA-256 cases), run through {@link Hkdf}. */
class HkdfTest {

    @Test
    void rfc5869A1BasicCase() {
        check("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
                "f0f1f2f3f4f5f6f7f8f9", 42,
                "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void rfc5869A2LongerInputsAndOutputs() {
        check(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82,
                "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
                "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                        + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
    }

    @Test
    void rfc5869A3ZeroLengthSaltAndInfo() {
        check("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
                "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
        byte[] ikm = bytes("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        assertArrayEquals(Hkdf.extract(new byte[0], ikm), Hkdf.extract(null, ikm), "null salt = empty salt");
        assertArrayEquals(Hkdf.extract(new byte[32], ikm), Hkdf.extract(null, ikm), "empty salt = HashLen zeros");
    }

    @Test
    void limits() {
        byte[] prk = new byte[32];
        assertEquals(Hkdf.MAX_OUTPUT_LENGTH, Hkdf.expand(prk, null, Hkdf.MAX_OUTPUT_LENGTH).length);
        assertEquals(0, Hkdf.expand(prk, null, 0).length);
        assertThrows(CryptoException.class, () -> Hkdf.expand(prk, null, Hkdf.MAX_OUTPUT_LENGTH + 1));
        assertThrows(CryptoException.class, () -> Hkdf.expand(prk, null, -1));
        assertThrows(CryptoException.class, () -> Hkdf.expand(new byte[31], null, 32));
        assertThrows(CryptoException.class, () -> Hkdf.extract(null, null));
    }

    private static void check(String ikm, String salt, String info, int length, String prk, String okm) {
        assertEquals(prk, hex(Hkdf.extract(bytes(salt), bytes(ikm))), "PRK");
        assertEquals(okm, hex(Hkdf.expand(bytes(prk), bytes(info), length)), "OKM");
        assertEquals(okm, hex(Hkdf.derive(bytes(salt), bytes(ikm), bytes(info), length)), "derive");
    }

    /** The bytes {@code from..to} inclusive, as hex. */
    private static String range(int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int b = from; b <= to; b++) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }
}
