package dev.switchboard.carrier.receipt;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One delivery receipt as read by {@link DeliveryReceiptParser}: which submission it is about
 * and what happened to it. Fields the carrier did not send are empty, never guessed.
 *
 * @param submissionId the SMSC message id as received (surrounding blanks and NULs removed, case
 *     and leading zeros kept); match it through {@link ReceiptIds}, keep it for the record
 * @param state the reported state; TLV {@code message_state} when present, else the text's stat
 * @param stat the carrier's own stat word (e.g. {@code BUFFRED}), kept when it agrees with
 *     {@code state}, because it says more than the state it maps to and belongs in a failure reason
 * @param errorCode the error as the carrier wrote it: from {@code network_error_code} when that TLV
 *     is present (its two-octet code in decimal, at least 3 digits, the network type dropped), else
 *     the text's {@code err:} value verbatim (3 or 4 digits usually, leading zeros kept)
 * @param submitDate the text's {@code submit date}, read as UTC
 * @param doneDate the text's {@code done date}, read as UTC
 * @param submitted the text's {@code sub:} count
 * @param delivered the text's {@code dlvrd:} count
 * @param text the text's {@code text:} field, usually the first characters of the original message
 */
public record DeliveryReceipt(
        String submissionId,
        ReceiptState state,
        Optional<String> stat,
        Optional<String> errorCode,
        Optional<Instant> submitDate,
        Optional<Instant> doneDate,
        OptionalInt submitted,
        OptionalInt delivered,
        Optional<String> text) {

    public DeliveryReceipt {
        Objects.requireNonNull(submissionId, "submissionId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stat, "stat");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(submitDate, "submitDate");
        Objects.requireNonNull(doneDate, "doneDate");
        Objects.requireNonNull(submitted, "submitted");
        Objects.requireNonNull(delivered, "delivered");
        Objects.requireNonNull(text, "text");
    }

    /** See {@link ReceiptState#isFinal()}: a final receipt settles the submission. */
    public boolean isFinal() { return state.isFinal(); }

    /** True only for a delivered submission. */
    public boolean isSuccess() { return state.isSuccess(); }
}
