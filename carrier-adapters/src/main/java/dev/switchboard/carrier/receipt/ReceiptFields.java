package dev.switchboard.carrier.receipt;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the SMPP layer copies out of a deliver_sm or data_sm for {@link DeliveryReceiptParser}:
 * plain values, so the parser never sees a jsmpp type and tests can build any PDU by hand.
 *
 * @param esmClass the PDU's esm_class byte, as an unsigned value
 * @param receiptedMessageId TLV {@code receipted_message_id} (0x001E), when present
 * @param messageState TLV {@code message_state} (0x0427) as an unsigned value, when present
 * @param networkErrorCode TLV {@code network_error_code} (0x0423) octets, when present
 * @param text the receipt text already decoded: {@code short_message}, or {@code message_payload}
 *     when {@code short_message} is empty; never null, empty when the PDU had neither
 */
public record ReceiptFields(
        int esmClass,
        Optional<String> receiptedMessageId,
        OptionalInt messageState,
        Optional<byte[]> networkErrorCode,
        String text) {

    public ReceiptFields {
        Objects.requireNonNull(receiptedMessageId, "receiptedMessageId");
        Objects.requireNonNull(messageState, "messageState");
        Objects.requireNonNull(networkErrorCode, "networkErrorCode");
        // Copied in and out: a record is only immutable if its arrays cannot be changed behind it.
        networkErrorCode = networkErrorCode.map(byte[]::clone);
        text = text == null ? "" : text;
    }

    /**
     * Builds the fields from nullable PDU values, applying the SMPP 3.4 rule the receipt text
     * depends on: a PDU carrying {@code message_payload} leaves {@code short_message} empty, so
     * the payload is the text only then.
     */
    public static ReceiptFields of(
            int esmClass,
            String receiptedMessageId,
            Integer messageState,
            byte[] networkErrorCode,
            String shortMessage,
            String messagePayload) {
        String text = shortMessage == null || shortMessage.isEmpty() ? messagePayload : shortMessage;
        return new ReceiptFields(
                esmClass,
                Optional.ofNullable(receiptedMessageId),
                messageState == null ? OptionalInt.empty() : OptionalInt.of(messageState),
                Optional.ofNullable(networkErrorCode),
                text);
    }

    /** A receipt that carries nothing but its text, the commonest shape in the field. */
    public static ReceiptFields ofText(int esmClass, String text) {
        return new ReceiptFields(esmClass, Optional.empty(), OptionalInt.empty(), Optional.empty(), text);
    }

    @Override
    public Optional<byte[]> networkErrorCode() { return networkErrorCode.map(byte[]::clone); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceiptFields other
                && esmClass == other.esmClass
                && receiptedMessageId.equals(other.receiptedMessageId)
                && messageState.equals(other.messageState)
                && Arrays.equals(networkErrorCode.orElse(null), other.networkErrorCode.orElse(null))
                && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(esmClass, receiptedMessageId, messageState,
                Arrays.hashCode(networkErrorCode.orElse(null)), text);
    }

    @Override
    public String toString() {
        return "ReceiptFields[esmClass=0x" + Integer.toHexString(esmClass)
                + ", receiptedMessageId=" + receiptedMessageId
                + ", messageState=" + messageState
                + ", networkErrorCode=" + networkErrorCode.map(Arrays::toString)
                + ", text=" + text + "]";
    }
}
