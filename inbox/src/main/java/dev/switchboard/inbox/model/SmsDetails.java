package dev.switchboard.inbox.model;

import java.util.Locale;
import java.util.Objects;

/**
 * How a message with channel {@code sms} travelled.
 *
 * @param segments SMS the text was carried in: for an outbound message, the SMS the recipient
 *                 receives; for an inbound one, the segments it was reassembled from (1 for a
 *                 single SMS)
 * @param encoding {@code gsm7} or {@code ucs-2} (inbound also {@code latin1} or {@code ascii})
 * @param carrier  the route: outbound, the carrier id or server account it was submitted to;
 *                 inbound, the path it came by, {@code smpp:<account>} or {@code smpp-carrier:<carrier id>}
 */
public record SmsDetails(int segments, String encoding, String carrier) {
    public SmsDetails {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be positive, got " + segments);
        }
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(carrier, "carrier");
    }

    /**
     * The wire name of an encoding given by its adapter name ({@code GSM7}, {@code UCS2},
     * {@code LATIN1}, {@code ASCII}, as the SMS codecs name them).
     */
    public static String encodingName(String adapterName) {
        return switch (adapterName.toUpperCase(Locale.ROOT)) {
            case "GSM7" -> "gsm7";
            case "UCS2" -> "ucs-2";
            case "LATIN1" -> "latin1";
            case "ASCII" -> "ascii";
            default -> adapterName.toLowerCase(Locale.ROOT);
        };
    }
}
