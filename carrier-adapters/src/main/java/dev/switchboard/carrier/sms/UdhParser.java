package dev.switchboard.carrier.sms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Receive side: splits a {@code short_message} (or {@code message_payload}) into its user data
 * header and payload, and reads the concatenation element (IEI 0x00, 8-bit reference, or 0x08,
 * 16-bit reference). Other elements are kept, not interpreted.
 *
 * <p>A header is trusted only when every length agrees: the header fits the message, every element
 * fits the header, a concatenation element has its exact length, a total of at least 1 and an index
 * in 1..total. Anything else throws {@link MalformedUdhException}, because a guessed reference or
 * index would file the text under another message. A repeated concatenation element is not an
 * error: TS 23.040 9.2.3.24 tells the receiver to use the last occurrence, and so does this parser.
 *
 * <p>The payload is returned as received; for GSM 7-bit text {@link UserData#gsm7Septets} removes
 * the fill bits when a carrier sends packed septets (SMPP's default is unpacked, with no fill bits).
 */
public final class UdhParser {

    /** The UDH indicator bit of {@code esm_class}. */
    public static final int UDHI = 0x40;

    private static final int IEI_CONCAT_8 = 0x00;
    private static final int IEI_CONCAT_16 = 0x08;

    private UdhParser() {
    }

    /** True when esm_class says the message starts with a user data header. */
    public static boolean hasUdh(int esmClass) {
        return (esmClass & UDHI) != 0;
    }

    /**
     * Parses the header when esm_class has UDHI; otherwise the whole message is payload.
     *
     * @throws MalformedUdhException when UDHI is set and the header is truncated or inconsistent
     */
    public static UserData parse(int esmClass, byte[] shortMessage) {
        if (!hasUdh(esmClass)) {
            return new UserData(new byte[0], Optional.empty(), List.of(), shortMessage);
        }
        return parse(shortMessage);
    }

    /**
     * Parses a message known to start with a user data header.
     *
     * @throws MalformedUdhException when the header is truncated or inconsistent
     */
    public static UserData parse(byte[] shortMessage) {
        if (shortMessage.length == 0) {
            throw new MalformedUdhException("UDHI set but the message is empty");
        }
        int headerLength = shortMessage[0] & 0xFF;
        int end = 1 + headerLength;
        if (end > shortMessage.length) {
            throw new MalformedUdhException("UDH length " + headerLength + " exceeds the " + (shortMessage.length - 1)
                    + " octets after it");
        }
        Optional<ConcatInfo> concat = Optional.empty();
        List<UserData.InformationElement> others = new ArrayList<>();
        int pos = 1;
        while (pos < end) {
            int iei = shortMessage[pos] & 0xFF;
            if (pos + 1 >= end) {
                throw new MalformedUdhException(String.format("IEI 0x%02X at offset %d has no length octet", iei, pos));
            }
            int length = shortMessage[pos + 1] & 0xFF;
            int dataStart = pos + 2;
            if (dataStart + length > end) {
                throw new MalformedUdhException(String.format(
                        "IEI 0x%02X at offset %d claims %d octets, the header has %d left", iei, pos, length,
                        end - dataStart));
            }
            byte[] data = Arrays.copyOfRange(shortMessage, dataStart, dataStart + length);
            switch (iei) {
                case IEI_CONCAT_8 -> concat = Optional.of(concat(ConcatMode.UDH8, data, 3));
                case IEI_CONCAT_16 -> concat = Optional.of(concat(ConcatMode.UDH16, data, 4));
                default -> others.add(new UserData.InformationElement(iei, data));
            }
            pos = dataStart + length;
        }
        return new UserData(Arrays.copyOfRange(shortMessage, 0, end), concat, others,
                Arrays.copyOfRange(shortMessage, end, shortMessage.length));
    }

    private static ConcatInfo concat(ConcatMode scheme, byte[] data, int expectedLength) {
        if (data.length != expectedLength) {
            throw new MalformedUdhException(scheme + " concatenation element must be " + expectedLength
                    + " octets, got " + data.length);
        }
        int reference = scheme == ConcatMode.UDH8
                ? data[0] & 0xFF
                : (data[0] & 0xFF) << 8 | (data[1] & 0xFF);
        int total = data[expectedLength - 2] & 0xFF;
        int index = data[expectedLength - 1] & 0xFF;
        if (total == 0) {
            throw new MalformedUdhException(scheme + " concatenation with a total of 0 segments");
        }
        if (index == 0 || index > total) {
            throw new MalformedUdhException(scheme + " segment index " + index + " outside 1.." + total);
        }
        return new ConcatInfo(scheme, reference, total, index);
    }
}
