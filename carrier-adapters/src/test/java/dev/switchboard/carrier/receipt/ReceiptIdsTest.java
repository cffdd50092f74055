package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** SMSC ids in differing case, zero padding and base still lead to the same submission. */
class ReceiptIdsTest {

    @Test
    void hexIdIsLowerCasedAndLosesLeadingZeros() {
        assertEquals("7e3a", ReceiptIds.normalise("00007E3A", IdBase.HEX));
        assertEquals("7e3a", ReceiptIds.normalise("7e3a", IdBase.HEX));
    }

    @Test
    void decimalIdLosesLeadingZeros() {
        assertEquals("32314", ReceiptIds.normalise("0000032314", IdBase.DECIMAL));
    }

    @Test
    void allZerosIsZero() {
        assertEquals("0", ReceiptIds.normalise("0000", IdBase.DECIMAL));
        assertEquals("0", ReceiptIds.normalise("00", IdBase.HEX));
    }

    @Test
    void surroundingBlanksAndCStringTerminatorAreRemoved() {
        assertEquals("7e3a", ReceiptIds.normalise(" 7E3A\u0000", IdBase.HEX));
        assertEquals("123", ReceiptIds.normalise("\t0123 ", IdBase.DECIMAL));
    }

    @Test
    void uuidIsCaseFoldedAndKeepsItsZeros() {
        assertEquals("0f2a8c1e-9b7d-4e6a-8f00-1c2d3e4f5a6b",
                ReceiptIds.normalise("0F2A8C1E-9B7D-4E6A-8F00-1C2D3E4F5A6B", IdBase.HEX));
    }

    @Test
    void alphanumericIdIsCaseFoldedText() {
        assertEquals("msg-00042", ReceiptIds.normalise("MSG-00042", IdBase.DECIMAL));
        assertEquals("00xyz9", ReceiptIds.normalise("00XYZ9", IdBase.HEX));
    }

    @Test
    void hexLettersUnderADecimalCarrierAreTextAndKeepTheirZeros() {
        assertEquals("00ab", ReceiptIds.normalise("00AB", IdBase.DECIMAL));
    }

    @Test
    void blankIdNormalisesToEmptyAndHasNoCandidates() {
        assertEquals("", ReceiptIds.normalise("  ", IdBase.HEX));
        assertEquals(List.of(), ReceiptIds.candidates(" \u0000", IdBase.DECIMAL));
    }

    @Test
    void hexCarrierAlsoTriesADecimalReceiptIdConvertedToHex() {
        assertEquals(List.of("32314", "7e3a"), ReceiptIds.candidates("32314", IdBase.HEX));
    }

    @Test
    void hexCarrierConvertsAZeroPaddedDecimalReceiptId() {
        assertEquals(List.of("32314", "7e3a"), ReceiptIds.candidates("0032314", IdBase.HEX));
    }

    @Test
    void decimalCarrierAlsoTriesAHexReceiptIdConvertedToDecimal() {
        assertEquals(List.of("7e3a", "32314"), ReceiptIds.candidates("7E3A", IdBase.DECIMAL));
        assertEquals(List.of("00007e3a", "32314"), ReceiptIds.candidates("00007e3a", IdBase.DECIMAL));
    }

    @Test
    void decimalCarrierReadsAnAllDigitIdAsHexForTheSecondCandidate() {
        assertEquals(List.of("32314", "205588"), ReceiptIds.candidates("32314", IdBase.DECIMAL));
    }

    @Test
    void hexIdWithLettersHasNoDecimalReading() {
        assertEquals(List.of("7e3a"), ReceiptIds.candidates("7E3A", IdBase.HEX));
    }

    @Test
    void singleDigitIsTheSameInBothBasesAndListedOnce() {
        assertEquals(List.of("7"), ReceiptIds.candidates("07", IdBase.HEX));
        assertEquals(List.of("0"), ReceiptIds.candidates("000", IdBase.DECIMAL));
    }

    @Test
    void nonNumericIdsHaveOneCandidate() {
        assertEquals(List.of("0f2a8c1e-9b7d-4e6a-8f00-1c2d3e4f5a6b"),
                ReceiptIds.candidates("0F2A8C1E-9B7D-4E6A-8F00-1C2D3E4F5A6B", IdBase.DECIMAL));
        assertEquals(List.of("msg-00042"), ReceiptIds.candidates("MSG-00042", IdBase.HEX));
    }

    @Test
    void hexResponseMatchesDecimalReceipt() {
        String stored = ReceiptIds.normalise("0007E3A", IdBase.HEX);
        assertEquals("7e3a", stored);
        List<String> keys = ReceiptIds.candidates("32314", IdBase.HEX);
        assertEquals("7e3a", keys.get(1), "found on the second try, after a miss on the first");
    }

    @Test
    void decimalResponseMatchesHexReceipt() {
        String stored = ReceiptIds.normalise("000032314", IdBase.DECIMAL);
        assertEquals("32314", stored);
        List<String> keys = ReceiptIds.candidates("7e3a", IdBase.DECIMAL);
        assertEquals("32314", keys.get(1));
    }

    @Test
    void sameBaseWithDifferentCaseAndPaddingMatchesOnTheFirstCandidate() {
        String stored = ReceiptIds.normalise("00a1b2c3d4", IdBase.HEX);
        assertEquals("a1b2c3d4", stored);
        assertEquals("a1b2c3d4", ReceiptIds.candidates("A1B2C3D4", IdBase.HEX).get(0));
    }

    @Test
    void decimalIdJustAboveLongMaxConvertsToHex() {
        assertEquals(List.of("9223372036854775808", "8000000000000000"),
                ReceiptIds.candidates("9223372036854775808", IdBase.HEX));
    }

    @Test
    void hexIdJustAboveLongMaxConvertsToDecimal() {
        assertEquals(List.of("8000000000000000", "9223372036854775808"),
                ReceiptIds.candidates("8000000000000000", IdBase.DECIMAL));
    }

    @Test
    void sixteenDigitDecimalIdConvertsToHex() {
        assertEquals(List.of("8000000000000000", "1c6bf526340000"),
                ReceiptIds.candidates("8000000000000000", IdBase.HEX));
    }

    @Test
    void twoToThe64ConvertsBothWaysWithLeadingZeros() {
        assertEquals(List.of("18446744073709551616", "10000000000000000"),
                ReceiptIds.candidates("000018446744073709551616", IdBase.HEX));
        assertEquals(List.of("10000000000000000", "18446744073709551616"),
                ReceiptIds.candidates("0010000000000000000", IdBase.DECIMAL));
    }

    @Test
    void sixteenFsIsTwoToThe64MinusOne() {
        assertEquals(List.of("ffffffffffffffff", "18446744073709551615"),
                ReceiptIds.candidates("FFFFFFFFFFFFFFFF", IdBase.DECIMAL));
    }

    @Test
    void thirtyNineDigitDecimalIdConvertsToHex() {
        assertEquals(List.of("340282366920938463463374607431768211456", "100000000000000000000000000000000"),
                ReceiptIds.candidates("340282366920938463463374607431768211456", IdBase.HEX));
    }

    @Test
    void fullWidthDigitsAreNotNumbers() {
        assertEquals(List.of("\uFF11\uFF12"), ReceiptIds.candidates("\uFF11\uFF12", IdBase.DECIMAL));
    }

    @Test
    void everyCandidateIsAlreadyNormalised() {
        for (String key : ReceiptIds.candidates("00FF", IdBase.DECIMAL)) {
            assertTrue(key.equals(key.strip().toLowerCase(Locale.ROOT)), key);
        }
        assertEquals(List.of("00ff", "255"), ReceiptIds.candidates("00FF", IdBase.DECIMAL));
    }
}
