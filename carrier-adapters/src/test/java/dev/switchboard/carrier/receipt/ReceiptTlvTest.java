package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** receipted_message_id, message_state and network_error_code, alone and against the text. */
class ReceiptTlvTest {
    private static final String TEXT_DELIVERED = "id:111 sub:001 dlvrd:001 submit date:2501151030"
            + " done date:2501151031 stat:DELIVRD err:000 text:hello";

    private final DeliveryReceiptParser parser = new DeliveryReceiptParser();

    private DeliveryReceipt parse(String id, Integer state, byte[] networkError, String text) {
        return parser.parse(ReceiptFields.of(0x04, id, state, networkError, text, null))
                .orElseThrow(() -> new AssertionError("no receipt read"));
    }

    @Test
    void tlvOnlyReceiptWithEmptyTextIsComplete() {
        DeliveryReceipt r = parse("0A1B2C", 2, null, "");
        assertEquals("0A1B2C", r.submissionId());
        assertEquals(ReceiptState.DELIVERED, r.state());
        assertEquals(Optional.empty(), r.stat(), "no stat word was written");
        assertEquals(Optional.empty(), r.errorCode());
        assertEquals(Optional.empty(), r.submitDate());
        assertEquals(Optional.empty(), r.doneDate());
        assertEquals(OptionalInt.empty(), r.submitted());
        assertEquals(Optional.empty(), r.text());
        assertTrue(r.isSuccess());
    }

    @Test
    void tlvOnlyReceiptIgnoresANonReceiptText() {
        DeliveryReceipt r = parse("55", 5, null, "Message could not be delivered");
        assertEquals("55", r.submissionId());
        assertEquals(ReceiptState.UNDELIVERABLE, r.state());
    }

    @Test
    void everyMessageStateValueMapsToItsState() {
        assertEquals(ReceiptState.SCHEDULED, parse("x", 0, null, "").state());
        assertEquals(ReceiptState.ENROUTE, parse("x", 1, null, "").state());
        assertEquals(ReceiptState.DELIVERED, parse("x", 2, null, "").state());
        assertEquals(ReceiptState.EXPIRED, parse("x", 3, null, "").state());
        assertEquals(ReceiptState.DELETED, parse("x", 4, null, "").state());
        assertEquals(ReceiptState.UNDELIVERABLE, parse("x", 5, null, "").state());
        assertEquals(ReceiptState.ACCEPTED, parse("x", 6, null, "").state());
        assertEquals(ReceiptState.UNKNOWN, parse("x", 7, null, "").state());
        assertEquals(ReceiptState.REJECTED, parse("x", 8, null, "").state());
        assertEquals(ReceiptState.SKIPPED, parse("x", 9, null, "").state());
    }

    @Test
    void tlvStateWinsOverADisagreeingTextAndTheTextWordIsDropped() {
        DeliveryReceipt r = parse("111", 5, null, TEXT_DELIVERED);
        assertEquals(ReceiptState.UNDELIVERABLE, r.state());
        assertEquals(Optional.empty(), r.stat(), "DELIVRD does not describe an undeliverable message");
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:31:00Z")), r.doneDate(), "the text still gives dates");
        assertEquals(Optional.of("hello"), r.text());
    }

    @Test
    void tlvIdWinsOverADisagreeingTextId() {
        DeliveryReceipt r = parse("ABC0001", 2, null, TEXT_DELIVERED);
        assertEquals("ABC0001", r.submissionId());
    }

    @Test
    void agreeingTextKeepsTheCarriersStatWord() {
        DeliveryReceipt r = parse("111", 5, null, "id:111 stat:FAILED err:034");
        assertEquals(ReceiptState.UNDELIVERABLE, r.state());
        assertEquals(Optional.of("FAILED"), r.stat());
        assertEquals(Optional.of("034"), r.errorCode());
    }

    @Test
    void idFromTheTlvAndStateFromTheTextAreCombined() {
        DeliveryReceipt r = parse("FF00AA", null, null, "sub:001 dlvrd:000 submit date:2501151030"
                + " done date:2501151035 stat:EXPIRED err:027 text:hi");
        assertEquals("FF00AA", r.submissionId());
        assertEquals(ReceiptState.EXPIRED, r.state());
        assertEquals(Optional.of("027"), r.errorCode());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:35:00Z")), r.doneDate());
    }

    @Test
    void stateFromTheTlvAndIdFromTheTextAreCombined() {
        DeliveryReceipt r = parse(null, 2, null, "id:424242 sub:001 dlvrd:001 submit date:2501151030"
                + " done date:2501151031 err:000 text:hi");
        assertEquals("424242", r.submissionId());
        assertEquals(ReceiptState.DELIVERED, r.state());
    }

    @Test
    void tlvIdLosesItsCStringTerminator() {
        assertEquals("7E3A", parse("7E3A\u0000", 2, null, "").submissionId());
    }

    @Test
    void blankTlvIdFallsBackToTheTextId() {
        assertEquals("111", parse("  ", 2, null, TEXT_DELIVERED).submissionId());
    }

    @Test
    void outOfRangeMessageStateFallsBackToTheTextStat() {
        DeliveryReceipt r = parse("111", 42, null, TEXT_DELIVERED);
        assertEquals(ReceiptState.DELIVERED, r.state());
        assertEquals(Optional.of("DELIVRD"), r.stat());
    }

    @Test
    void outOfRangeMessageStateWithoutTextIsNoReceipt() {
        assertEquals(Optional.empty(), parser.parse(ReceiptFields.of(0x04, "111", 42, null, "", null)));
    }

    @Test
    void tlvIdWithoutAnyStateIsNoReceipt() {
        assertEquals(Optional.empty(), parser.parse(ReceiptFields.of(0x04, "111", null, null, "", null)));
    }

    @Test
    void networkErrorCodeIsTheTwoOctetCodeInDecimal() {
        DeliveryReceipt r = parse("111", 5, new byte[] {0x03, 0x00, 0x01}, "");
        assertEquals(Optional.of("001"), r.errorCode());
    }

    @Test
    void networkErrorCodeAbove255UsesBothOctets() {
        DeliveryReceipt r = parse("111", 5, new byte[] {0x03, 0x04, 0x00}, "");
        assertEquals(Optional.of("1024"), r.errorCode());
    }

    @Test
    void networkErrorCodeOctetsAreUnsigned() {
        DeliveryReceipt r = parse("111", 5, new byte[] {0x03, (byte) 0xFF, (byte) 0xFF}, "");
        assertEquals(Optional.of("65535"), r.errorCode());
    }

    @Test
    void networkErrorCodeWrittenAsThreeAsciiDigitsIsTakenAsWritten() {
        DeliveryReceipt r = parse("111", 5, new byte[] {'0', '3', '4'}, "");
        assertEquals(Optional.of("034"), r.errorCode());
    }

    @Test
    void networkErrorCodeWinsOverTheTextErr() {
        DeliveryReceipt r = parse("111", 5, new byte[] {0x03, 0x00, 0x0B}, "id:111 stat:UNDELIV err:001");
        assertEquals(Optional.of("011"), r.errorCode());
    }

    @Test
    void malformedNetworkErrorCodeLetsTheTextErrThrough() {
        DeliveryReceipt r = parse("111", 5, new byte[] {0x03, 0x01}, "id:111 stat:UNDELIV err:001");
        assertEquals(Optional.of("001"), r.errorCode());
    }
}
