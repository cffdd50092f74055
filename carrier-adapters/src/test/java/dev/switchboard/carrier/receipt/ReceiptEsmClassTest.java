package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Only the esm_class message-type bits decide whether a PDU is a receipt. */
class ReceiptEsmClassTest {
    private static final String RECEIPT_TEXT = "id:123 sub:001 dlvrd:001 submit date:2501151030"
            + " done date:2501151031 stat:DELIVRD err:000 text:hi";

    private final DeliveryReceiptParser parser = new DeliveryReceiptParser();

    @Test
    void smscDeliveryReceiptIsAReceipt() { assertTrue(parser.isReceipt(0x04)); }

    @Test
    void receiptWithUdhiOrReplyPathBitsIsStillAReceipt() {
        assertTrue(parser.isReceipt(0x44));
        assertTrue(parser.isReceipt(0x84));
        assertTrue(parser.isReceipt(0xC4));
    }

    @Test
    void receiptWithMessagingModeBitsIsStillAReceipt() { assertTrue(parser.isReceipt(0x07)); }

    @Test
    void intermediateDeliveryNotificationIsAReceipt() { assertTrue(parser.isReceipt(0x20)); }

    @Test
    void smeDeliveryAcknowledgementIsAReceipt() { assertTrue(parser.isReceipt(0x08)); }

    @Test
    void ordinaryMessageIsNotAReceipt() {
        assertFalse(parser.isReceipt(0x00));
        assertFalse(parser.isReceipt(0x40), "UDHI alone marks a concatenated MO, not a receipt");
        assertFalse(parser.isReceipt(0x03), "messaging mode bits alone");
    }

    @Test
    void manualUserAcknowledgementIsNotAReceipt() { assertFalse(parser.isReceipt(0x10)); }

    @Test
    void reservedAndConversationAbortTypesAreNotReceipts() {
        assertFalse(parser.isReceipt(0x0C));
        assertFalse(parser.isReceipt(0x18));
        assertFalse(parser.isReceipt(0x24));
    }

    @Test
    void receiptShapedTextInAnOrdinaryMessageIsNotParsed() {
        assertEquals(Optional.empty(), parser.parse(ReceiptFields.ofText(0x00, RECEIPT_TEXT)));
    }

    @Test
    void receiptTlvsOnAnOrdinaryMessageAreNotParsed() {
        assertEquals(Optional.empty(), parser.parse(ReceiptFields.of(0x40, "123", 2, null, "hi", null)));
    }

    @Test
    void intermediateNotificationIsParsedLikeAReceipt() {
        DeliveryReceipt r = parser.parse(ReceiptFields.ofText(0x20, "id:123 stat:ENROUTE err:000")).orElseThrow();
        assertEquals(ReceiptState.ENROUTE, r.state());
        assertFalse(r.isFinal());
    }
}
