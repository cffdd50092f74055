package dev.switchboard.carrier.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Receipt texts in the shapes SMSCs actually send, one vendor habit per test. */
class ReceiptTextFormatsTest {
    private final DeliveryReceiptParser parser = new DeliveryReceiptParser();

    private DeliveryReceipt parse(String text) {
        return parser.parse(ReceiptFields.ofText(0x04, text))
                .orElseThrow(() -> new AssertionError("no receipt read from: " + text));
    }

    @Test
    void classicAppendixBReceiptYieldsEveryField() {
        DeliveryReceipt r = parse("id:0123456789 sub:001 dlvrd:001 submit date:2501151030 done date:2501151031"
                + " stat:DELIVRD err:000 text:Hello from Rome");
        assertEquals("0123456789", r.submissionId(), "the id is kept raw, leading zero included");
        assertEquals(ReceiptState.DELIVERED, r.state());
        assertEquals(Optional.of("DELIVRD"), r.stat());
        assertEquals(Optional.of("000"), r.errorCode());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:30:00Z")), r.submitDate());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:31:00Z")), r.doneDate());
        assertEquals(OptionalInt.of(1), r.submitted());
        assertEquals(OptionalInt.of(1), r.delivered());
        assertEquals(Optional.of("Hello from Rome"), r.text());
        assertTrue(r.isFinal());
        assertTrue(r.isSuccess());
    }

    @Test
    void capitalisedTextKeyIsStillTheTextField() {
        DeliveryReceipt r = parse("id:7E3A0F1B sub:001 dlvrd:001 submit date:2502281159 done date:2502281201"
                + " stat:DELIVRD err:000 Text:Ciao Marco");
        assertEquals("7E3A0F1B", r.submissionId());
        assertEquals(Optional.of("Ciao Marco"), r.text());
        assertEquals(Optional.of(Instant.parse("2025-02-28T12:01:00Z")), r.doneDate());
    }

    @Test
    void twelveDigitDatesWithSecondsAndAnEmptyText() {
        DeliveryReceipt r = parse("id:795920026 sub:001 dlvrd:001 submit date:200319131913"
                + " done date:200319131958 stat:DELIVRD err:000 text:");
        assertEquals("795920026", r.submissionId());
        assertEquals(Optional.of(Instant.parse("2020-03-19T13:19:13Z")), r.submitDate());
        assertEquals(Optional.of(Instant.parse("2020-03-19T13:19:58Z")), r.doneDate());
        assertEquals(Optional.empty(), r.text(), "an empty text: field is no text");
    }

    @Test
    void twelveDigitDatesWithAFourDigitYearAndAUuidIdWithoutCounts() {
        DeliveryReceipt r = parse("id:9b1f0c2e-55aa-4c1d-8e3b-0d6f7a8b9c10 submit date:202407191552"
                + " done date:202407191553 stat:UNDELIV err:005");
        assertEquals("9b1f0c2e-55aa-4c1d-8e3b-0d6f7a8b9c10", r.submissionId());
        assertEquals(ReceiptState.UNDELIVERABLE, r.state());
        assertEquals(Optional.of(Instant.parse("2024-07-19T15:52:00Z")), r.submitDate());
        assertEquals(Optional.of(Instant.parse("2024-07-19T15:53:00Z")), r.doneDate());
        assertEquals(Optional.of("005"), r.errorCode());
        assertEquals(OptionalInt.empty(), r.submitted());
        assertEquals(OptionalInt.empty(), r.delivered());
        assertEquals(Optional.empty(), r.text());
        assertTrue(r.isFinal());
        assertFalse(r.isSuccess());
    }

    @Test
    void fourteenDigitDatesAndAOneDigitErrWithA32CharacterHexId() {
        DeliveryReceipt r = parse("id:2E179B310EDE971B2760C72B7F026E1B submit date:20250314181534"
                + " done date:20250314181741 stat:DELIVRD err:0");
        assertEquals("2E179B310EDE971B2760C72B7F026E1B", r.submissionId());
        assertEquals(Optional.of(Instant.parse("2025-03-14T18:15:34Z")), r.submitDate());
        assertEquals(Optional.of(Instant.parse("2025-03-14T18:17:41Z")), r.doneDate());
        assertEquals(Optional.of("0"), r.errorCode());
    }

    @Test
    void rejectedWithAFourDigitErrKeepsItsLeadingZero() {
        DeliveryReceipt r = parse("id:88001234 sub:001 dlvrd:000 submit date:2503011200 done date:2503011205"
                + " stat:REJECTD err:0069 text:Your code is 4821");
        assertEquals(ReceiptState.REJECTED, r.state());
        assertEquals(Optional.of("0069"), r.errorCode());
        assertEquals(OptionalInt.of(0), r.delivered());
        assertEquals(Optional.of("Your code is 4821"), r.text());
        assertTrue(r.isFinal());
    }

    @Test
    void expiredIsAFinalFailure() {
        DeliveryReceipt r = parse("id:1000201 sub:001 dlvrd:000 submit date:2501010000 done date:2501030000"
                + " stat:EXPIRED err:027 text:Promo ends today");
        assertEquals(ReceiptState.EXPIRED, r.state());
        assertEquals(Optional.of("027"), r.errorCode());
        assertTrue(r.isFinal());
        assertFalse(r.isSuccess());
    }

    @Test
    void deletedIsAFinalFailure() {
        DeliveryReceipt r = parse("id:1000202 sub:001 dlvrd:000 submit date:2501010000 done date:2501010005"
                + " stat:DELETED err:000 text:x");
        assertEquals(ReceiptState.DELETED, r.state());
        assertTrue(r.isFinal());
        assertFalse(r.isSuccess());
    }

    @Test
    void acceptdIsAnIntermediateAcknowledgement() {
        DeliveryReceipt r = parse("id:c87c2273 submit date:2506201641 done date:2506201641 stat:ACCEPTD err:000");
        assertEquals(ReceiptState.ACCEPTED, r.state());
        assertEquals(Optional.of("ACCEPTD"), r.stat());
        assertFalse(r.isFinal(), "an SMSC's 'accepted' is followed by the real outcome");
    }

    @Test
    void enrouteIsIntermediate() {
        DeliveryReceipt r = parse("id:501 sub:001 dlvrd:000 submit date:2501151030 done date:2501151030"
                + " stat:ENROUTE err:000 text:");
        assertEquals(ReceiptState.ENROUTE, r.state());
        assertFalse(r.isFinal());
    }

    @Test
    void ackedMapsToAcceptedAndKeepsItsWord() {
        DeliveryReceipt r = parse("id:502 sub:001 dlvrd:000 submit date:2501151030 done date:2501151030"
                + " stat:ACKED err:000 text:");
        assertEquals(ReceiptState.ACCEPTED, r.state());
        assertEquals(Optional.of("ACKED"), r.stat());
        assertFalse(r.isFinal());
    }

    @Test
    void buffredMapsToEnroute() {
        DeliveryReceipt r = parse("id:503 sub:001 dlvrd:000 submit date:2501151030 done date:2501151030"
                + " stat:BUFFRED err:000 text:");
        assertEquals(ReceiptState.ENROUTE, r.state());
        assertEquals(Optional.of("BUFFRED"), r.stat());
        assertFalse(r.isFinal());
    }

    @Test
    void bufferdSpellingMapsToEnroute() {
        DeliveryReceipt r = parse("id:504 sub:001 dlvrd:000 submit date:2501151030 done date:2501151030"
                + " stat:BUFFERD err:000 text:");
        assertEquals(ReceiptState.ENROUTE, r.state());
        assertEquals(Optional.of("BUFFERD"), r.stat());
    }

    @Test
    void failedMapsToUndeliverableAndKeepsTheCarriersWord() {
        DeliveryReceipt r = parse("id:505 sub:001 dlvrd:000 submit date:2501151030 done date:2501151031"
                + " stat:FAILED err:069 text:");
        assertEquals(ReceiptState.UNDELIVERABLE, r.state());
        assertEquals(Optional.of("FAILED"), r.stat());
        assertEquals(Optional.of("069"), r.errorCode());
        assertTrue(r.isFinal());
        assertFalse(r.isSuccess());
    }

    @Test
    void unknownStatLeavesTheOutcomeOpen() {
        DeliveryReceipt r = parse("id:506 sub:001 dlvrd:000 submit date:2501151030 done date:2501151031"
                + " stat:UNKNOWN err:999 text:");
        assertEquals(ReceiptState.UNKNOWN, r.state());
        assertFalse(r.isFinal());
        assertFalse(r.isSuccess());
    }

    @Test
    void upperCaseKeysAreRead() {
        DeliveryReceipt r = parse("ID:5501 SUB:001 DLVRD:001 SUBMIT DATE:2501151030 DONE DATE:2501151031"
                + " STAT:DELIVRD ERR:000 TEXT:shouting");
        assertEquals("5501", r.submissionId());
        assertEquals(ReceiptState.DELIVERED, r.state());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:31:00Z")), r.doneDate());
        assertEquals(Optional.of("shouting"), r.text());
    }

    @Test
    void extraSpacesAroundValuesAndInsideKeysAreTolerated() {
        DeliveryReceipt r = parse("  id: 5502  sub: 002  dlvrd: 001  submit date: 2501151030"
                + "  done  date : 2501151031  stat: DELIVRD  err: 000  text:  spaced out  ");
        assertEquals("5502", r.submissionId());
        assertEquals(OptionalInt.of(2), r.submitted());
        assertEquals(OptionalInt.of(1), r.delivered());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:30:00Z")), r.submitDate());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:31:00Z")), r.doneDate());
        assertEquals(Optional.of("000"), r.errorCode());
        assertEquals(Optional.of("spaced out"), r.text());
    }

    @Test
    void minimalReceiptWithOnlyIdAndStat() {
        DeliveryReceipt r = parse("id:abc123 stat:DELIVRD");
        assertEquals("abc123", r.submissionId());
        assertEquals(ReceiptState.DELIVERED, r.state());
        assertEquals(Optional.empty(), r.errorCode());
        assertEquals(Optional.empty(), r.submitDate());
        assertEquals(Optional.empty(), r.doneDate());
        assertEquals(Optional.empty(), r.text());
    }

    @Test
    void wordsInTheUsersTextDoNotOverrideTheReceiptFields() {
        DeliveryReceipt r = parse("id:9001 sub:001 dlvrd:000 submit date:2501151030 done date:2501151031"
                + " stat:UNDELIV err:001 text:stat:DELIVRD id:42 err:000");
        assertEquals("9001", r.submissionId());
        assertEquals(ReceiptState.UNDELIVERABLE, r.state());
        assertEquals(Optional.of("001"), r.errorCode());
        assertEquals(Optional.of("stat:DELIVRD id:42 err:000"), r.text());
    }

    @Test
    void placeholderValuesCountAsAbsent() {
        DeliveryReceipt r = parse("id:meep-17 sub:... dlvrd:... submit date:200101010030"
                + " done date:200101020030 stat:DELIVRD err:... text:Meep");
        assertEquals("meep-17", r.submissionId());
        assertEquals(OptionalInt.empty(), r.submitted());
        assertEquals(OptionalInt.empty(), r.delivered());
        assertEquals(Optional.empty(), r.errorCode());
        assertEquals(Optional.of(Instant.parse("2020-01-01T01:00:30Z")), r.submitDate(),
                "12 digits are YYMMDDhhmmss when valid, even if the sender meant YYYYMMDDhhmm for 2001");
        assertEquals(Optional.of(Instant.parse("2020-01-01T02:00:30Z")), r.doneDate());
    }

    @Test
    void fieldsInAnotherOrderAreFound() {
        DeliveryReceipt r = parse("stat:DELIVRD id:66778899 err:000 done date:2501151031 submit date:2501151030");
        assertEquals("66778899", r.submissionId());
        assertEquals(ReceiptState.DELIVERED, r.state());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:30:00Z")), r.submitDate());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:31:00Z")), r.doneDate());
    }

    @Test
    void underscoredDateKeysAreRead() {
        DeliveryReceipt r = parse("id:77 sub:001 dlvrd:001 submit_date:2501151030 done_date:2501151031"
                + " stat:DELIVRD err:000");
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:30:00Z")), r.submitDate());
        assertEquals(Optional.of(Instant.parse("2025-01-15T10:31:00Z")), r.doneDate());
    }

    @Test
    void delivrdMisspellingAndUnpaddedCountsAreRead() {
        DeliveryReceipt r = parse("id:5e4cc2e2d2a1a64e039a1bcb sub:1 delivrd:1 submit date:202508190505"
                + " done date:202508190506 stat:DELIVRD err:0 text:Bob says hi");
        assertEquals("5e4cc2e2d2a1a64e039a1bcb", r.submissionId());
        assertEquals(OptionalInt.of(1), r.submitted());
        assertEquals(OptionalInt.of(1), r.delivered());
        assertEquals(Optional.of(Instant.parse("2025-08-19T05:05:00Z")), r.submitDate());
        assertEquals(Optional.of(Instant.parse("2025-08-19T05:06:00Z")), r.doneDate());
    }

    @Test
    void trailingNulFromACStringIsNotPartOfTheText() {
        DeliveryReceipt r = parse("id:1234 sub:001 dlvrd:001 submit date:2501151030 done date:2501151031"
                + " stat:DELIVRD err:000 text:abc\u0000");
        assertEquals(Optional.of("abc"), r.text());
    }

    @Test
    void unrecognisedStatWordIsUnknownAndKeptVerbatim() {
        DeliveryReceipt r = parse("id:12345-9876 sub:001 dlvrd:000 submit date:20180721020159"
                + " done date:20180721020259 stat:ABC err:XYZ text:Sample");
        assertEquals("12345-9876", r.submissionId());
        assertEquals(ReceiptState.UNKNOWN, r.state());
        assertEquals(Optional.of("ABC"), r.stat());
        assertEquals(Optional.of("XYZ"), r.errorCode());
        assertEquals(Optional.of(Instant.parse("2018-07-21T02:01:59Z")), r.submitDate());
        assertFalse(r.isFinal());
    }

    @Test
    void spelledOutStatAndLowerCaseWordAreRead() {
        assertEquals(ReceiptState.DELIVERED, parse("id:1 stat:DELIVERED err:000").state());
        assertEquals(ReceiptState.UNDELIVERABLE, parse("id:2 stat:undeliv err:001").state());
    }

    @Test
    void aBrokenDateLeavesTheRestOfTheReceipt() {
        DeliveryReceipt r = parse("id:31 sub:001 dlvrd:001 submit date:2513451030 done date:25-01-15"
                + " stat:DELIVRD err:000 text:ok");
        assertEquals(Optional.empty(), r.submitDate(), "month 13 is not a date");
        assertEquals(Optional.empty(), r.doneDate());
        assertEquals(ReceiptState.DELIVERED, r.state());
        assertEquals(Optional.of("ok"), r.text());
    }

    @Test
    void aKeyRepeatedBeforeTheTextKeepsItsFirstValue() {
        DeliveryReceipt r = parse("id:8080 sub:001 dlvrd:001 submit date:2501151030 done date:2501151031"
                + " stat:DELIVRD err:000 stat:UNDELIV id:9090");
        assertEquals("8080", r.submissionId());
        assertEquals(ReceiptState.DELIVERED, r.state());
    }
}
