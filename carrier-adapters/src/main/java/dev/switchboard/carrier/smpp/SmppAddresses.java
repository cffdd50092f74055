package dev.switchboard.carrier.smpp;

/**
 * Address normalisation. International numbers (TON 1) become E.164 whether or not the peer sent
 * the plus sign; national and alphanumeric senders are kept as given, since no rule can turn them
 * into E.164 safely.
 */
public final class SmppAddresses {
    public static final byte TON_INTERNATIONAL = 1;

    private SmppAddresses() {}

    public static String normalise(byte ton, String address) {
        String trimmed = address == null ? "" : address.trim();
        if (ton == TON_INTERNATIONAL) {
            String digits = trimmed.startsWith("+") ? trimmed.substring(1) : trimmed;
            return digits.isEmpty() ? "" : "+" + digits;
        }
        // Some peers send TON 0 (unknown) with a full international number and a plus sign.
        if (trimmed.startsWith("+") && trimmed.substring(1).chars().allMatch(Character::isDigit)) {
            return trimmed;
        }
        return trimmed;
    }
}
