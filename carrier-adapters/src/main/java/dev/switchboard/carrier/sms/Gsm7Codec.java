package dev.switchboard.carrier.sms;

import java.util.Arrays;

/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table, one character at a time.
 *
 * <p>Septet {@code 0x00} is {@code @}: GSM text is never a C string, so nothing here stops at a zero.
 * Extension characters ({@code ^ { } \ [ ~ ] | €} and form feed) take two septets, {@code 0x1B} then
 * the code. Encoding is strict (no transliteration: {@code ç} is not {@code Ç}) because a message
 * must arrive as typed; callers fall back to UCS-2 when {@link #canEncode} says no.
 *
 * <p>Decoding never fails, because inbound text must be delivered even when a peer sends garbage:
 * <ul>
 *   <li>an extension code with no character decodes as the default-table character of the same
 *       code, as TS 23.038 asks of a receiver;</li>
 *   <li>{@code 0x1B 0x1B} (escape to a further table nobody defines) and a lone {@code 0x1B} at the
 *       end decode as {@link #UNRESOLVED_ESCAPE}, the space TS 23.038 says to display;</li>
 *   <li>an octet above {@code 0x7F} is not a septet and decodes as {@link #NOT_A_SEPTET}.</li>
 * </ul>
 */
public final class Gsm7Codec {

    /** The escape to the extension table. */
    public static final int ESCAPE = 0x1B;

    /** What an escape that cannot be resolved decodes as. */
    public static final char UNRESOLVED_ESCAPE = ' ';

    /** What an octet above {@code 0x7F} decodes as. */
    public static final char NOT_A_SEPTET = '\uFFFD';

    // Index = septet. Position 0x1B is the escape and never maps to a character, hence the NUL there
    // that the reverse table skips.
    private static final String DEFAULT_TABLE =
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u0000ÆæßÉ"
            + " !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private static final char[] DEFAULT = DEFAULT_TABLE.toCharArray();

    private static final char NO_CHAR = '\uFFFF';
    private static final char[] EXTENSION = new char[128];

    // char -> septet (0..127), or EXTENDED | code for escape sequences, or -1. Sized to reach the euro
    // sign, the highest code point either table uses.
    private static final int EXTENDED = 0x100;
    private static final short[] REVERSE = new short['€' + 1];

    static {
        if (DEFAULT.length != 128) {
            throw new ExceptionInInitializerError("GSM default table must have 128 entries");
        }
        Arrays.fill(EXTENSION, NO_CHAR);
        EXTENSION[0x0A] = '\f';
        EXTENSION[0x14] = '^';
        EXTENSION[0x28] = '{';
        EXTENSION[0x29] = '}';
        EXTENSION[0x2F] = '\\';
        EXTENSION[0x3C] = '[';
        EXTENSION[0x3D] = '~';
        EXTENSION[0x3E] = ']';
        EXTENSION[0x40] = '|';
        EXTENSION[0x65] = '€';

        Arrays.fill(REVERSE, (short) -1);
        for (int code = 0; code < 128; code++) {
            if (code != ESCAPE) {
                REVERSE[DEFAULT[code]] = (short) code;
            }
        }
        for (int code = 0; code < 128; code++) {
            if (EXTENSION[code] != NO_CHAR) {
                REVERSE[EXTENSION[code]] = (short) (EXTENDED | code);
            }
        }
    }

    private Gsm7Codec() {
    }

    /** True when every character is in the default alphabet or the extension table. */
    public static boolean canEncode(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (lookup(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** True when this one character has a GSM 7-bit encoding (one or two septets). */
    public static boolean canEncode(char c) {
        return lookup(c) >= 0;
    }

    /** Septets needed for one character: 1, 2 for extension characters, or -1 if it has none. */
    public static int septets(char c) {
        int code = lookup(c);
        return code < 0 ? -1 : (code & EXTENDED) != 0 ? 2 : 1;
    }

    /**
     * Septets needed for the text, counting extension characters twice.
     *
     * @throws IllegalArgumentException if a character has no GSM 7-bit encoding
     */
    public static int septetLength(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            int n = septets(text.charAt(i));
            if (n < 0) {
                throw unencodable(text, i);
            }
            length += n;
        }
        return length;
    }

    /**
     * One septet per octet, extension characters as {@code 0x1B} followed by their code.
     *
     * @throws IllegalArgumentException if a character has no GSM 7-bit encoding
     */
    public static byte[] encodeUnpacked(String text) {
        byte[] out = new byte[septetLength(text)];
        int pos = 0;
        for (int i = 0; i < text.length(); i++) {
            int code = lookup(text.charAt(i));
            if ((code & EXTENDED) != 0) {
                out[pos++] = ESCAPE;
            }
            out[pos++] = (byte) (code & 0x7F);
        }
        return out;
    }

    /** Decodes unpacked septets; never fails (see the class comment for what odd input becomes). */
    public static String decodeUnpacked(byte[] septets) {
        StringBuilder text = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int b = septets[i] & 0xFF;
            if (b > 0x7F) {
                text.append(NOT_A_SEPTET);
            } else if (b != ESCAPE) {
                text.append(DEFAULT[b]);
            } else if (i + 1 == septets.length) {
                text.append(UNRESOLVED_ESCAPE);
            } else {
                int next = septets[i + 1] & 0xFF;
                if (next > 0x7F) {
                    // Leave the stray octet to the next turn so it is reported, not swallowed.
                    text.append(UNRESOLVED_ESCAPE);
                    continue;
                }
                i++;
                if (next == ESCAPE) {
                    text.append(UNRESOLVED_ESCAPE);
                } else {
                    text.append(EXTENSION[next] != NO_CHAR ? EXTENSION[next] : DEFAULT[next]);
                }
            }
        }
        return text.toString();
    }

    /**
     * Packs septets LSB first, as on the air interface, after {@code paddingBits} zero fill bits
     * (the bits that align text after a user data header to a septet boundary).
     *
     * <p>When the last octet has seven spare bits they stay zero, which a receiver that does not know
     * the septet count reads as a trailing {@code @}; the caller must carry the septet count.
     *
     * @throws IllegalArgumentException if paddingBits is not 0..6 or a value is not a septet
     */
    public static byte[] pack(byte[] septets, int paddingBits) {
        checkPadding(paddingBits);
        byte[] out = new byte[(paddingBits + 7 * septets.length + 7) / 8];
        for (int i = 0; i < septets.length; i++) {
            int septet = septets[i] & 0xFF;
            if (septet > 0x7F) {
                throw new IllegalArgumentException("not a septet at " + i + ": 0x" + Integer.toHexString(septet));
            }
            int bit = paddingBits + 7 * i;
            int index = bit >>> 3;
            int shift = bit & 7;
            out[index] |= (byte) (septet << shift);
            if (shift > 1) {
                out[index + 1] |= (byte) (septet >>> (8 - shift));
            }
        }
        return out;
    }

    /**
     * Reverses {@link #pack}: reads {@code septetCount} septets after {@code paddingBits} fill bits.
     *
     * @throws IllegalArgumentException if paddingBits is not 0..6 or the octets hold fewer septets
     */
    public static byte[] unpack(byte[] packed, int septetCount, int paddingBits) {
        checkPadding(paddingBits);
        if (septetCount < 0 || septetCount > maxSeptets(packed.length, paddingBits)) {
            throw new IllegalArgumentException(packed.length + " octets after " + paddingBits
                    + " fill bits cannot hold " + septetCount + " septets");
        }
        byte[] out = new byte[septetCount];
        for (int i = 0; i < septetCount; i++) {
            int bit = paddingBits + 7 * i;
            int index = bit >>> 3;
            int shift = bit & 7;
            int value = (packed[index] & 0xFF) >>> shift;
            if (shift > 1) {
                value |= (packed[index + 1] & 0xFF) << (8 - shift);
            }
            out[i] = (byte) (value & 0x7F);
        }
        return out;
    }

    /** The most septets {@code octets} packed octets can hold after {@code paddingBits} fill bits. */
    public static int maxSeptets(int octets, int paddingBits) {
        return Math.max(0, (8 * octets - paddingBits) / 7);
    }

    /**
     * Fill bits between a user data header of {@code headerOctets} octets (length octet included)
     * and packed text, so the text starts on a septet boundary of the user data (TS 23.040 9.2.3.24).
     */
    public static int fillBits(int headerOctets) {
        if (headerOctets < 0) {
            throw new IllegalArgumentException("negative header length " + headerOctets);
        }
        return (7 - (8 * headerOctets) % 7) % 7;
    }

    private static int lookup(char c) {
        return c < REVERSE.length ? REVERSE[c] : -1;
    }

    private static void checkPadding(int paddingBits) {
        if (paddingBits < 0 || paddingBits > 6) {
            throw new IllegalArgumentException("fill bits must be 0..6, got " + paddingBits);
        }
    }

    private static IllegalArgumentException unencodable(String text, int index) {
        return new IllegalArgumentException(String.format("U+%04X at index %d has no GSM 7-bit encoding",
                (int) text.charAt(index), index));
    }
}
