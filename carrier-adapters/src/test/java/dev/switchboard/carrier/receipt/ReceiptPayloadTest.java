package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Receipts whose text travels in message_payload, as data_sm and some deliver_sm carry it. */
class ReceiptPayloadTest {
    private static final String PAYLOAD = "id:A1B2C3D4 sub:001 dlvrd:001 submit date:2501151030"
            + " done date:2501151031 stat:DELIVRD err:000 text:from the payload";

    private final DeliveryReceiptParser parser = new DeliveryReceiptParser();

    @Test
    void emptyShortMessageMakesThePayloadTheText() {
        ReceiptFields fields = ReceiptFields.of(0x04, null, null, null, "", PAYLOAD);
        assertEquals(PAYLOAD, fields.text());
        DeliveryReceipt r = parser.parse(fields).orElseThrow();
        assertEquals("A1B2C3D4", r.submissionId());
        assertEquals(ReceiptState.DELIVERED, r.state());
        assertEquals(Optional.of("from the payload"), r.text());
    }

    @Test
    void absentShortMessageMakesThePayloadTheText() {
        DeliveryReceipt r = parser.parse(ReceiptFields.of(0x04, null, null, null, null, PAYLOAD)).orElseThrow();
        assertEquals("A1B2C3D4", r.submissionId());
    }

    @Test
    void nonEmptyShortMessageIsTheTextEvenWithAPayload() {
        ReceiptFields fields = ReceiptFields.of(0x04, null, null, null, "id:999 stat:EXPIRED err:027", PAYLOAD);
        DeliveryReceipt r = parser.parse(fields).orElseThrow();
        assertEquals("999", r.submissionId());
        assertEquals(ReceiptState.EXPIRED, r.state());
    }

    @Test
    void dataSmReceiptWithTlvsAndAPayloadCombinesBoth() {
        ReceiptFields fields = ReceiptFields.of(0x04, "a1b2c3d4", 2, null, null,
                "id:A1B2C3D4 submit date:2501151030 done date:2501151031 stat:DELIVRD err:000");
        DeliveryReceipt r = parser.parse(fields).orElseThrow();
        assertEquals("a1b2c3d4", r.submissionId(), "the TLV spelling is the one kept");
        assertEquals(Optional.of("DELIVRD"), r.stat());
        assertEquals(Optional.of("000"), r.errorCode());
    }

    @Test
    void neitherShortMessageNorPayloadGivesAnEmptyText() {
        assertEquals("", ReceiptFields.of(0x04, "1", 2, null, null, null).text());
    }
}
