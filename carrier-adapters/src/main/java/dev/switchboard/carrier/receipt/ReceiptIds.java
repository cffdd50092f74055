package dev.switchboard.carrier.receipt;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Normalises SMSC message ids so the id in a receipt finds the id from submit_sm_resp.
 *
 * <p>SMPP says a message id is an opaque C string, but SMSCs change its spelling between the
 * two PDUs: case, leading zeros, and even base (hex in submit_sm_resp and decimal in the receipt,
 * or the reverse). The intended use:
 * <ol>
 *   <li>store each submission under {@code normalise(submitSmRespId, base)} next to the raw id;</li>
 *   <li>look a receipt up by {@code candidates(receiptId, base)} in order, the second only on a
 *       miss of the first.</li>
 * </ol>
 * Every value returned is written in the configured base, so both sides compare as strings.
 *
 * <p>Caution for the matcher: the second candidate is a guess. On a carrier with short numeric ids
 * it can name another, older submission (decimal {@code 100} read as hex is {@code 256}), and a miss
 * is routine because receipts can overtake submit_sm_resp. Accept a second-candidate hit only for a
 * submission of the same carrier still waiting for its receipt, and prefer parking the receipt
 * over settling a message that is not clearly its own.
 *
 * <p>Numbers are handled as {@link BigInteger}: hex ids of 16 or more digits exceed {@code long}.
 */
public final class ReceiptIds {
    private ReceiptIds() {}

    /**
     * The id trimmed (blanks and NULs) and lower-cased; when it is a number in {@code base}, also
     * without leading zeros ({@code "0"} for all zeros). Anything else, such as a UUID or
     * {@code MSG-0042}, keeps its zeros: they are part of an opaque name. Blank gives {@code ""}.
     */
    public static String normalise(String raw, IdBase base) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(base, "base");
        String id = raw.replace('\u0000', ' ').strip().toLowerCase(Locale.ROOT);
        if (!isNumber(id, base)) {
            return id;
        }
        int firstSignificant = 0;
        while (firstSignificant < id.length() - 1 && id.charAt(firstSignificant) == '0') {
            firstSignificant++;
        }
        return id.substring(firstSignificant);
    }

    /**
     * The keys a submission with this id may be stored under, most likely first:
     * {@code normalise(raw, base)}, then, when {@code raw} is a number in the other base, that
     * number written in {@code base}: with {@code HEX}, decimal {@code 32314} also gives
     * {@code 7e3a}; with {@code DECIMAL}, hex {@code 7E3A} also gives {@code 32314}. With
     * {@code HEX} the second key exists only for all-digit ids, numbers in both senses; with
     * {@code DECIMAL} also for ids with a..f, because that is the "or the reverse" case the field
     * shows. No duplicates; empty for a blank id.
     */
    public static List<String> candidates(String raw, IdBase base) {
        String primary = normalise(raw, base);
        if (primary.isEmpty()) {
            return List.of();
        }
        String id = raw.replace('\u0000', ' ').strip().toLowerCase(Locale.ROOT);
        if (!isNumber(id, base.other())) {
            return List.of(primary);
        }
        String converted = new BigInteger(id, base.other().radix()).toString(base.radix());
        return converted.equals(primary) ? List.of(primary) : List.of(primary, converted);
    }

    // Hand-rolled rather than Character.digit: that accepts full-width and other Unicode digits,
    // which BigInteger would then read as numbers nobody wrote.
    private static boolean isNumber(String id, IdBase base) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean hexLetter = c >= 'a' && c <= 'f';
            if (!(digit || (base == IdBase.HEX && hexLetter))) {
                return false;
            }
        }
        return true;
    }
}
