package dev.switchboard.inbox.messages;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * One segment of a concatenated SMS a carrier adapter received for a served number, to be kept by
 * {@link FragmentStore} until its set is complete. The first six components name the set.
 *
 * @param source     the path it came by, e.g. {@code smpp:<account>} or {@code smpp-carrier:<carrier id>}
 * @param to         the served number
 * @param from       the sender, as the adapter normalised it
 * @param scheme     how the set is numbered: {@code udh8}, {@code udh16} or {@code sar}
 * @param reference  the set's reference, 0..255 for udh8, 0..65535 otherwise
 * @param total      segments in the set, 1..255
 * @param part       this segment's position, 1..total
 * @param dataCoding the {@code data_coding} it arrived with, 0..255
 * @param encoding   the name of the encoding that data_coding means on this path, resolved by the
 *                   adapter on arrival; stored so the set decodes without the path's configuration
 * @param payload    the user data after any header, as received (copied in and out)
 * @param carrierRef names this segment on the carrier side; a duplicate is answered with the first one's
 */
public record InboundFragment(String source, String to, String from, String scheme, int reference, int total, int part,
                              int dataCoding, String encoding, byte[] payload, String carrierRef) {

    /** The numbering schemes a set can use. */
    public static final Set<String> SCHEMES = Set.of("udh8", "udh16", "sar");

    public InboundFragment {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(carrierRef, "carrierRef");
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("scheme must be one of " + SCHEMES + ", got " + scheme);
        }
        if (reference < 0 || reference > ("udh8".equals(scheme) ? 0xFF : 0xFFFF)) {
            throw new IllegalArgumentException(scheme + " reference out of range: " + reference);
        }
        if (total < 1 || total > 255 || part < 1 || part > total) {
            throw new IllegalArgumentException("part " + part + " of " + total);
        }
        if (dataCoding < 0 || dataCoding > 0xFF) {
            throw new IllegalArgumentException("data_coding out of range: " + dataCoding);
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundFragment f && source.equals(f.source) && to.equals(f.to) && from.equals(f.from)
                && scheme.equals(f.scheme) && reference == f.reference && total == f.total && part == f.part
                && dataCoding == f.dataCoding && encoding.equals(f.encoding) && Arrays.equals(payload, f.payload)
                && carrierRef.equals(f.carrierRef);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, to, from, scheme, reference, total, part, dataCoding, encoding, Arrays.hashCode(payload),
                carrierRef);
    }

    @Override
    public String toString() {
        return "InboundFragment[" + source + " " + from + "->" + to + " " + scheme + "/" + reference + " part " + part + "/"
                + total + ", data_coding=" + dataCoding + " (" + encoding + "), payload=" + HexFormat.of().formatHex(payload)
                + ", carrierRef=" + carrierRef + "]";
    }
}
