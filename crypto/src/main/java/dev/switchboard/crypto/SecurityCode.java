package dev.switchboard.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The security code of a conversation between two numbers: a fingerprint of both account keys that
 * the two users compare out of band (read aloud, or side by side on the CLI and the web inbox). It
 * is derived like Signal's safety numbers (version 0 of its numeric fingerprint):
 * <pre>
 *   half(number, key):
 *     h = u16(0) || key || UTF-8(number)          version 0, 32-byte Ed25519 account key
 *     repeat 5200 times: h = SHA-512(h || key)
 *     the first 30 bytes of h, 5 bytes at a time, each read as a 40-bit big-endian unsigned
 *     integer mod 100000 and written as 5 decimal digits with leading zeros: 30 digits
 *   code = the two halves sorted as strings and concatenated (60 digits), shown as 12 groups of
 *          5 digits separated by single spaces
 * </pre>
 * Sorting the halves makes the code the same whichever side computes it. Unlike Signal, the key is
 * the raw 32-byte Ed25519 public key (no type byte) and the identifier the number as given, which
 * callers should pass in E.164. A change of either account key (a new primary) changes the code.
 */
public final class SecurityCode {

    public static final int ITERATIONS = 5200;
    private static final int VERSION = 0;
    private static final int DIGITS_PER_GROUP = 5;
    private static final int GROUPS_PER_HALF = 6;

    private SecurityCode() {
    }

    /** The 60-digit code, e.g. {@code "12345 67890 ... 24680"} (12 groups of 5 digits). */
    public static String of(String numberA, byte[] accountKeyA, String numberB, byte[] accountKeyB) {
        String a = half(numberA, accountKeyA);
        String b = half(numberB, accountKeyB);
        String digits = a.compareTo(b) <= 0 ? a + b : b + a;
        StringBuilder out = new StringBuilder(digits.length() + digits.length() / DIGITS_PER_GROUP);
        for (int i = 0; i < digits.length(); i += DIGITS_PER_GROUP) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(digits, i, i + DIGITS_PER_GROUP);
        }
        return out.toString();
    }

    private static String half(String number, byte[] accountKey) {
        if (number == null || number.isEmpty()) {
            throw new CryptoException("security code needs both numbers");
        }
        Bytes.requireKey(accountKey, "account key of " + number);
        MessageDigest sha512 = sha512();
        byte[] version = {(byte) (VERSION >>> 8), (byte) VERSION};
        byte[] hash = Bytes.concat(version, accountKey, Bytes.utf8(number, "number " + number));
        for (int i = 0; i < ITERATIONS; i++) {
            sha512.update(hash);
            hash = sha512.digest(accountKey);
        }
        StringBuilder digits = new StringBuilder(GROUPS_PER_HALF * DIGITS_PER_GROUP);
        for (int group = 0; group < GROUPS_PER_HALF; group++) {
            long chunk = 0;
            for (int i = 0; i < 5; i++) {
                chunk = (chunk << 8) | (hash[group * 5 + i] & 0xffL);
            }
            String value = Long.toString(chunk % 100_000);
            digits.append("0".repeat(DIGITS_PER_GROUP - value.length())).append(value);
        }
        return digits.toString();
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-512", e);
        }
    }
}
