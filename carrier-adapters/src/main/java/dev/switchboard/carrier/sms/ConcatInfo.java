package dev.switchboard.carrier.sms;

import java.util.Objects;

/**
 * Where a received segment belongs. A set is identified by sender, recipient, scheme, reference and
 * total; an 8-bit reference 5 and a 16-bit reference 5 are different sets.
 *
 * @param scheme    {@link ConcatMode#UDH8}, {@link ConcatMode#UDH16} or {@link ConcatMode#SAR}
 * @param reference 0..255 for UDH8, 0..65535 otherwise
 * @param total     segments in the set, 1..255
 * @param index     this segment's position, 1..total
 */
public record ConcatInfo(ConcatMode scheme, int reference, int total, int index) {

    /**
     * @throws IllegalArgumentException for values no valid segment carries; {@link UdhParser} checks
     *         them first and throws {@link MalformedUdhException}, a SAR reader should check too
     */
    public ConcatInfo {
        Objects.requireNonNull(scheme, "scheme");
        if (scheme == ConcatMode.PAYLOAD) {
            throw new IllegalArgumentException("message_payload is not a segment scheme");
        }
        if (reference < 0 || reference > scheme.maxReference()) {
            throw new IllegalArgumentException(scheme + " reference out of range: " + reference);
        }
        if (total < 1 || total > 255) {
            throw new IllegalArgumentException("total segments must be 1..255, got " + total);
        }
        if (index < 1 || index > total) {
            throw new IllegalArgumentException("segment index must be 1.." + total + ", got " + index);
        }
    }
}
