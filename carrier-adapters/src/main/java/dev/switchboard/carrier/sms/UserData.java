package dev.switchboard.carrier.sms;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A received {@code short_message} split into its user data header and payload. Arrays are copied
 * in and out.
 *
 * @param header        the whole header, length octet included; empty when UDHI was not set
 * @param concat        the concatenation element, if any
 * @param otherElements every other information element, in order (national language shift tables,
 *                      application ports...) for the caller to act on or ignore
 * @param payload       the octets after the header, as received
 */
public record UserData(byte[] header, Optional<ConcatInfo> concat, List<InformationElement> otherElements,
                       byte[] payload) {

    /** One information element other than concatenation. */
    public record InformationElement(int iei, byte[] data) {

        public InformationElement {
            if (iei < 0 || iei > 0xFF) {
                throw new IllegalArgumentException("IEI out of range: " + iei);
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InformationElement e && iei == e.iei && Arrays.equals(data, e.data);
        }

        @Override
        public int hashCode() {
            return 31 * iei + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return String.format("InformationElement[iei=0x%02X, data=%s]", iei, HexFormat.of().formatHex(data));
        }
    }

    public UserData {
        Objects.requireNonNull(concat, "concat");
        otherElements = List.copyOf(otherElements);
        header = header.clone();
        payload = payload.clone();
    }

    @Override
    public byte[] header() {
        return header.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload as unpacked GSM 7-bit septets, ready for {@link Gsm7Codec#decodeUnpacked} (or for
     * joining with the other segments first).
     *
     * <p>UNPACKED, the SMPP default, returns the payload as it is. PACKED skips the fill bits that
     * align the text after the header, then reads every whole septet. SMPP does not carry a septet
     * count, so when the last octet had seven spare bits they read as one septet too many; that
     * septet is dropped when it is 0 ({@code @}, the zero padding packers write) or CR (the filler
     * TS 23.038 6.1.2.3.1 prescribes). A real trailing {@code @} or CR in exactly that position is
     * lost; no rule can tell them apart.
     */
    public byte[] gsm7Septets(Gsm7Packing packing) {
        if (packing == Gsm7Packing.UNPACKED) {
            return payload.clone();
        }
        int fill = header.length == 0 ? 0 : Gsm7Codec.fillBits(header.length);
        int count = Gsm7Codec.maxSeptets(payload.length, fill);
        byte[] septets = Gsm7Codec.unpack(payload, count, fill);
        // Ending exactly on the last bit means the final septet filled the final octet's top seven
        // bits, which a sender with one septet fewer would have left as padding.
        boolean ambiguous = count > 0 && fill + 7 * count == 8 * payload.length;
        if (ambiguous && (septets[count - 1] == 0x00 || septets[count - 1] == 0x0D)) {
            return Arrays.copyOf(septets, count - 1);
        }
        return septets;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserData u && Arrays.equals(header, u.header) && concat.equals(u.concat)
                && otherElements.equals(u.otherElements) && Arrays.equals(payload, u.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(header), concat, otherElements, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "UserData[header=" + hex.formatHex(header) + ", concat=" + concat + ", otherElements="
                + otherElements + ", payload=" + hex.formatHex(payload) + "]";
    }
}
