package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The PDU snapshot is a value: equal by content and immune to later changes of its arrays. */
class ReceiptFieldsTest {

    @Test
    void networkErrorCodeIsCopiedOnTheWayIn() {
        byte[] octets = {0x03, 0x00, 0x01};
        ReceiptFields fields = ReceiptFields.of(0x04, "1", 5, octets, "", null);
        octets[2] = 0x7F;
        assertArrayEquals(new byte[] {0x03, 0x00, 0x01}, fields.networkErrorCode().orElseThrow());
    }

    @Test
    void networkErrorCodeIsCopiedOnTheWayOut() {
        ReceiptFields fields = ReceiptFields.of(0x04, "1", 5, new byte[] {0x03, 0x00, 0x01}, "", null);
        fields.networkErrorCode().orElseThrow()[2] = 0x7F;
        assertArrayEquals(new byte[] {0x03, 0x00, 0x01}, fields.networkErrorCode().orElseThrow());
    }

    @Test
    void fieldsWithEqualOctetsAreEqual() {
        ReceiptFields a = ReceiptFields.of(0x04, "1", 5, new byte[] {0x03, 0x00, 0x01}, "t", null);
        ReceiptFields b = ReceiptFields.of(0x04, "1", 5, new byte[] {0x03, 0x00, 0x01}, "t", null);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, ReceiptFields.of(0x04, "1", 5, new byte[] {0x03, 0x00, 0x02}, "t", null));
    }
}
