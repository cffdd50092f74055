package dev.switchboard.carrier.receipt;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads delivery receipts out of deliver_sm/data_sm fields. Stateless and thread-safe, so one
 * instance can serve every bind.
 *
 * <p>Failure contract: {@link #parse} never throws. A receipt it cannot read comes back empty so
 * the SMPP layer can still answer the PDU and keep the raw text; one malformed receipt must not
 * cost the session or the messages behind it.
 */
public final class DeliveryReceiptParser {
    private static final int MESSAGE_TYPE_MASK = 0x3C;
    private static final int SMSC_DELIVERY_RECEIPT = 0x04;
    private static final int SME_DELIVERY_ACKNOWLEDGEMENT = 0x08;
    private static final int INTERMEDIATE_DELIVERY_NOTIFICATION = 0x20;

    /**
     * Whether esm_class marks a report about a message we submitted rather than a message for an
     * inbox. Only the message-type bits (2..5) count: SMSCs set UDHI or reply-path bits on receipts
     * too (0x44 is seen). Accepted types:
     * <ul>
     *   <li>0x04 SMSC delivery receipt, the normal case;</li>
     *   <li>0x20 intermediate delivery notification: same format, usually {@code ENROUTE};</li>
     *   <li>0x08 SME delivery acknowledgement: a delivery confirmation from the handset, which some
     *       SMSCs send in the receipt format; accepted as Kannel does, so it never shows up in an
     *       inbox as a message that reads "id:... stat:...".</li>
     * </ul>
     * 0x10 (manual/user acknowledgement) is not a receipt: it carries a reply a person wrote.
     */
    public boolean isReceipt(int esmClass) {
        int type = esmClass & MESSAGE_TYPE_MASK;
        return type == SMSC_DELIVERY_RECEIPT
                || type == INTERMEDIATE_DELIVERY_NOTIFICATION
                || type == SME_DELIVERY_ACKNOWLEDGEMENT;
    }

    /**
     * The receipt carried by these fields, or empty when they are not a receipt ({@link #isReceipt}
     * is false: a text that merely looks like a receipt is a person's message) or when no
     * submission id and state can be read.
     *
     * <p>TLVs are the SMSC's structured statement and the text is free-form vendor output, so for
     * each field the TLV wins when both are present and valid; a receipt whose id is only in the
     * TLV and state only in the text (or the reverse) is combined. An invalid TLV (blank id,
     * {@code message_state} outside 0..9, a {@code network_error_code} that is not 3 octets) counts
     * as absent, so the text still gets its chance.
     */
    public Optional<DeliveryReceipt> parse(ReceiptFields fields) {
        try {
            return fields == null || !isReceipt(fields.esmClass()) ? Optional.empty() : read(fields);
        } catch (RuntimeException e) {
            // The contract is "empty, never an exception": a gap in the parsing below must not
            // become a dropped session. Tests cover the shapes known to be tricky.
            return Optional.empty();
        }
    }

    private static Optional<DeliveryReceipt> read(ReceiptFields fields) {
        ReceiptText text = ReceiptText.parse(fields.text());
        Optional<String> id = fields.receiptedMessageId()
                .map(DeliveryReceiptParser::stripFraming)
                .filter(s -> !s.isEmpty())
                .or(() -> text.token(ReceiptText.ID));
        Optional<String> statWord = text.token(ReceiptText.STAT);
        Optional<ReceiptState> textState = statWord.flatMap(ReceiptState::fromStat);
        Optional<ReceiptState> state = tlvState(fields.messageState()).or(() -> textState);
        if (id.isEmpty() || state.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DeliveryReceipt(
                id.get(),
                state.get(),
                textState.equals(state) ? statWord : Optional.empty(),
                fields.networkErrorCode().flatMap(DeliveryReceiptParser::networkError)
                        .or(() -> text.token(ReceiptText.ERR).filter(DeliveryReceiptParser::isCode)),
                text.token(ReceiptText.SUBMIT_DATE).flatMap(ReceiptDates::parse),
                text.token(ReceiptText.DONE_DATE).flatMap(ReceiptDates::parse),
                count(text.token(ReceiptText.SUB)),
                count(text.token(ReceiptText.DLVRD)),
                text.whole(ReceiptText.TEXT)));
    }

    private static Optional<ReceiptState> tlvState(OptionalInt value) {
        return value.isPresent() ? ReceiptState.fromMessageState(value.getAsInt()) : Optional.empty();
    }

    // receipted_message_id is a C-Octet String: a terminator or padding may come along.
    private static String stripFraming(String id) {
        return id.replace('\u0000', ' ').strip();
    }

    /**
     * network_error_code is one octet of network type then a two-octet code. Some SMSCs put the
     * three ASCII digits of the text's {@code err} there instead; those are taken as written.
     */
    private static Optional<String> networkError(byte[] octets) {
        if (octets.length != 3) {
            return Optional.empty();
        }
        if (isAsciiDigit(octets[0]) && isAsciiDigit(octets[1]) && isAsciiDigit(octets[2])) {
            return Optional.of(new String(octets, StandardCharsets.US_ASCII));
        }
        int code = ((octets[1] & 0xFF) << 8) | (octets[2] & 0xFF);
        return Optional.of(String.format(Locale.ROOT, "%03d", code));
    }

    private static boolean isAsciiDigit(byte b) { return b >= '0' && b <= '9'; }

    // Kept as written (vendors use letters too), but a template's "..." is not an error code.
    private static boolean isCode(String err) {
        return err.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    }

    // Counts are 3 digits by the book; placeholders such as "..." or "ND" mean "not given".
    private static OptionalInt count(Optional<String> token) {
        if (token.isEmpty()) {
            return OptionalInt.empty();
        }
        String digits = token.get();
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(digits));
    }
}
