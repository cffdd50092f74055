package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whatever arrives with esm_class 0x04, an unreadable receipt is empty and never an exception. */
class ReceiptGarbageTest {
    private final DeliveryReceiptParser parser = new DeliveryReceiptParser();

    private Optional<DeliveryReceipt> parse(String text) { return parser.parse(ReceiptFields.ofText(0x04, text)); }

    @Test
    void plainWordsAreNoReceipt() { assertEquals(Optional.empty(), parse("hello world, how are you?")); }

    @Test
    void emptyTextIsNoReceipt() { assertEquals(Optional.empty(), parse("")); }

    @Test
    void nullTextIsNoReceipt() { assertEquals(Optional.empty(), parse(null)); }

    @Test
    void nullFieldsAreNoReceipt() { assertEquals(Optional.empty(), parser.parse(null)); }

    @Test
    void idWithoutStateIsNoReceipt() {
        assertEquals(Optional.empty(), parse("id:123 sub:001 dlvrd:001 submit date:2501151030 err:000 text:x"));
    }

    @Test
    void stateWithoutIdIsNoReceipt() { assertEquals(Optional.empty(), parse("sub:001 stat:DELIVRD err:000")); }

    @Test
    void emptyIdAndStatValuesAreNoReceipt() { assertEquals(Optional.empty(), parse("id: stat: err:000")); }

    @Test
    void bareKeysAreNoReceipt() { assertEquals(Optional.empty(), parse("id:")); }

    @Test
    void controlCharactersAndBinaryNoiseAreNoReceipt() {
        assertEquals(Optional.empty(), parse("\u0000\u0001\u0002\u0005\u001b\u00ff\uFFFD:::\u0000"));
    }

    @Test
    void keysGluedToOtherWordsAreNotKeys() {
        assertEquals(Optional.empty(), parse("msgid:123 status:DELIVRD"));
    }

    @Test
    void hugeTextWithoutKeysIsNoReceipt() {
        assertEquals(Optional.empty(), parse("x".repeat(200_000)));
    }

    @Test
    void receiptTextEndingInsideAKeyIsNoReceipt() { assertEquals(Optional.empty(), parse("id:77 st")); }
}
