package dev.switchboard.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecurityCodeTest {

    private static final byte[] KEY_A = range(0);
    private static final byte[] KEY_B = range(32);

    /** Computed by an independent script from the algorithm in {@link SecurityCode}'s documentation. */
    @Test
    void knownAnswer() {
        assertEquals("37943 73940 89819 22706 16302 47112 61393 14924 44422 48427 90058 89970",
                SecurityCode.of("+390612345678", KEY_A, "+14155550123", KEY_B));
    }

    @Test
    void sameCodeWhicheverSideComputesIt() {
        String mine = SecurityCode.of("+390612345678", KEY_A, "+14155550123", KEY_B);
        String theirs = SecurityCode.of("+14155550123", KEY_B, "+390612345678", KEY_A);
        assertEquals(mine, theirs);
        assertTrue(mine.matches("(\\d{5} ){11}\\d{5}"), mine);
    }

    @Test
    void changesWhenAKeyOrANumberChanges() {
        String code = SecurityCode.of("+390612345678", KEY_A, "+14155550123", KEY_B);
        byte[] newPrimary = KEY_B.clone();
        newPrimary[31] ^= 1;
        String afterRekey = SecurityCode.of("+390612345678", KEY_A, "+14155550123", newPrimary);
        assertNotEquals(code, afterRekey);
        // Only the changed side's half moves: the other 30 digits are still there.
        String unchangedHalf = half("+390612345678", KEY_A);
        assertTrue(code.replace(" ", "").contains(unchangedHalf) && afterRekey.replace(" ", "").contains(unchangedHalf));
        assertNotEquals(code, SecurityCode.of("+390612345679", KEY_A, "+14155550123", KEY_B));
    }

    @Test
    void badInputIsRejected() {
        assertThrows(CryptoException.class, () -> SecurityCode.of("+1", new byte[31], "+2", KEY_B));
        assertThrows(CryptoException.class, () -> SecurityCode.of("", KEY_A, "+2", KEY_B));
        assertThrows(CryptoException.class, () -> SecurityCode.of("+1", KEY_A, null, KEY_B));
    }

    /** The 30 digits one side contributes: compute the code against itself and take one half. */
    private static String half(String number, byte[] key) {
        return SecurityCode.of(number, key, number, key).replace(" ", "").substring(0, 30);
    }

    private static byte[] range(int from) {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (from + i);
        }
        return key;
    }
}
