package dev.switchboard.inbox.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageStatusTest {
    @Test
    void statusOnlyMovesForward() {
        assertTrue(MessageStatus.QUEUED.canMoveTo(MessageStatus.SENT));
        assertTrue(MessageStatus.QUEUED.canMoveTo(MessageStatus.DELIVERED));
        assertTrue(MessageStatus.SENT.canMoveTo(MessageStatus.READ));
        assertFalse(MessageStatus.DELIVERED.canMoveTo(MessageStatus.SENT));
        assertFalse(MessageStatus.DELIVERED.canMoveTo(MessageStatus.DELIVERED));
    }

    @Test
    void lateDeliveryReceiptAfterReadIsIgnored() {
        assertFalse(MessageStatus.READ.canMoveTo(MessageStatus.DELIVERED));
        assertFalse(MessageStatus.READ.canMoveTo(MessageStatus.FAILED));
    }

    @Test
    void failedIsFinalAndReachableBeforeRead() {
        assertTrue(MessageStatus.SENT.canMoveTo(MessageStatus.FAILED));
        assertFalse(MessageStatus.FAILED.canMoveTo(MessageStatus.DELIVERED));
    }
}
