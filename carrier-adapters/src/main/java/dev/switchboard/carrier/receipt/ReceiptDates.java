package dev.switchboard.carrier.receipt;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Reads the {@code submit date}/{@code done date} values of receipt texts. The notes only say
 * that 10, 12 and 14 digits are seen; the readings below are what fits receipts in the field:
 * <ul>
 *   <li>10 digits: {@code YYMMDDhhmm}, the SMPP 3.4 appendix B form.</li>
 *   <li>12 digits: {@code YYMMDDhhmmss} (that form plus seconds) when it is a valid date, else
 *       {@code YYYYMMDDhhmm}: both exist, and the first reading of a 4-digit-year date from this
 *       century has month 20..99, so trying the 2-digit year first only misreads 2000..2012.</li>
 *   <li>14 digits: {@code YYYYMMDDhhmmss}.</li>
 * </ul>
 * Two-digit years are 2000..2099; four-digit years outside 2000..2099 are treated as garbage.
 * Times are taken as UTC: the text carries no zone, and the SMSC's own zone is not known here.
 * Anything else (other lengths, separators, impossible dates) is empty: a receipt with a broken
 * date still reports a state.
 */
final class ReceiptDates {
    private ReceiptDates() {}

    static Optional<Instant> parse(String value) {
        if (value == null || value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return switch (value.length()) {
            case 10 -> at(2000 + num(value, 0, 2), value, 2, false);
            case 12 -> at(2000 + num(value, 0, 2), value, 2, true)
                    .or(() -> fourDigitYear(value, false));
            case 14 -> fourDigitYear(value, true);
            default -> Optional.empty();
        };
    }

    private static Optional<Instant> fourDigitYear(String value, boolean seconds) {
        int year = num(value, 0, 4);
        return year >= 2000 && year <= 2099 ? at(year, value, 4, seconds) : Optional.empty();
    }

    private static Optional<Instant> at(int year, String value, int from, boolean seconds) {
        try {
            LocalDateTime time = LocalDateTime.of(year,
                    num(value, from, from + 2),
                    num(value, from + 2, from + 4),
                    num(value, from + 4, from + 6),
                    num(value, from + 6, from + 8),
                    seconds ? num(value, from + 8, from + 10) : 0);
            return Optional.of(time.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int num(String value, int from, int to) { return Integer.parseInt(value, from, to, 10); }
}
