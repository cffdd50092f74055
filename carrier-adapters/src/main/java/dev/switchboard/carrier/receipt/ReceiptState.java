package dev.switchboard.carrier.receipt;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The state a delivery receipt reports, named after SMPP {@code message_state} (TLV 0x0427).
 *
 * <p>{@link #messageState()} is the SMPP value, not an ordinal: jsmpp's {@code DeliveryReceiptState}
 * ordinals start at 0 for ENROUTE while the wire starts at 1, and mixing the two shifts every
 * state by one.
 *
 * <p>Final states follow the SMPP 5.0 table with two deliberate exceptions, both chosen because
 * leaving a message at {@code sent} is harmless while a wrong {@code failed} invites a resend
 * and a wrong {@code delivered} lies to the sender:
 * <ul>
 *   <li>{@link #ACCEPTED} is intermediate. The spec means "read by customer service", but SMSCs
 *       (Kannel's {@code ACCEPTD}/{@code ACKED}, Jasmin answering {@code ESME_ROK}) send it as
 *       "accepted for delivery", and a real delivered or failed receipt follows.</li>
 *   <li>{@link #UNKNOWN} is intermediate: the SMSC says it does not know, so nothing is known.
 *       Unrecognised stat words land here too, for the same reason.</li>
 * </ul>
 */
public enum ReceiptState {
    SCHEDULED(0, false, false),
    ENROUTE(1, false, false),
    DELIVERED(2, true, true),
    EXPIRED(3, true, false),
    DELETED(4, true, false),
    UNDELIVERABLE(5, true, false),
    ACCEPTED(6, false, false),
    UNKNOWN(7, false, false),
    REJECTED(8, true, false),
    SKIPPED(9, true, false);

    /**
     * Text-form stat words. Beyond the SMPP 3.4 appendix B abbreviations: the full SMPP names
     * (some SMSCs spell them out), {@code DELIVERD} (a misspelling seen in the field),
     * {@code ACKED} as {@link #ACCEPTED} (acknowledged by the network, outcome still open),
     * {@code BUFFRED}/{@code BUFFERD}/{@code BUFFERED} as {@link #ENROUTE} (held for retry) and
     * {@code FAILED} as {@link #UNDELIVERABLE} (a final failure without a finer reason).
     */
    private static final Map<String, ReceiptState> STAT_WORDS = Map.ofEntries(
            Map.entry("DELIVRD", DELIVERED),
            Map.entry("DELIVERED", DELIVERED),
            Map.entry("DELIVERD", DELIVERED),
            Map.entry("EXPIRED", EXPIRED),
            Map.entry("DELETED", DELETED),
            Map.entry("UNDELIV", UNDELIVERABLE),
            Map.entry("UNDELIVERABLE", UNDELIVERABLE),
            Map.entry("FAILED", UNDELIVERABLE),
            Map.entry("ACCEPTD", ACCEPTED),
            Map.entry("ACCEPTED", ACCEPTED),
            Map.entry("ACKED", ACCEPTED),
            Map.entry("UNKNOWN", UNKNOWN),
            Map.entry("REJECTD", REJECTED),
            Map.entry("REJECTED", REJECTED),
            Map.entry("ENROUTE", ENROUTE),
            Map.entry("BUFFRED", ENROUTE),
            Map.entry("BUFFERD", ENROUTE),
            Map.entry("BUFFERED", ENROUTE),
            Map.entry("SCHEDULED", SCHEDULED),
            Map.entry("SKIPPED", SKIPPED));

    private final int messageState;
    private final boolean isFinal;
    private final boolean success;

    ReceiptState(int messageState, boolean isFinal, boolean success) {
        this.messageState = messageState;
        this.isFinal = isFinal;
        this.success = success;
    }

    /** The SMPP {@code message_state} value (0..9). */
    public int messageState() { return messageState; }

    /** No later receipt for the same submission can change the outcome. */
    public boolean isFinal() { return isFinal; }

    /** Only {@link #DELIVERED}. */
    public boolean isSuccess() { return success; }

    /** The state for an SMPP {@code message_state} value; empty outside 0..9. */
    public static Optional<ReceiptState> fromMessageState(int value) {
        for (ReceiptState state : values()) {
            if (state.messageState == value) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /**
     * The state for a text-form stat word, in any case. A single digit is read as a
     * {@code message_state} value, which a few SMSCs write instead of a word. Any other non-blank
     * word is {@link #UNKNOWN} rather than empty: it still tells us the receipt is about this
     * submission, and the caller keeps the word for the record.
     */
    public static Optional<ReceiptState> fromStat(String word) {
        if (word == null || word.isBlank()) {
            return Optional.empty();
        }
        String upper = word.strip().toUpperCase(Locale.ROOT);
        if (upper.length() == 1 && upper.charAt(0) >= '0' && upper.charAt(0) <= '9') {
            return fromMessageState(upper.charAt(0) - '0');
        }
        return Optional.of(STAT_WORDS.getOrDefault(upper, UNKNOWN));
    }
}
