package dev.switchboard.carrier.sms;

import java.util.Objects;

/**
 * What sending a text would cost, for {@code POST /v1/messages/preview} and the composer.
 *
 * @param encoding GSM7 or UCS2
 * @param segments SMS the recipient receives (and the carrier bills); may exceed 255, in which case
 *                 the text cannot be sent
 * @param units    the text's length in septets (GSM7, extension characters counting 2) or UTF-16
 *                 code units (UCS2, emoji counting 2)
 */
public record SmsPreview(SmsEncoding encoding, int segments, int units) {

    public SmsPreview {
        Objects.requireNonNull(encoding, "encoding");
    }

    /** False when the text needs more than {@link Segmenter#MAX_SEGMENTS} segments. */
    public boolean sendable() {
        return segments <= Segmenter.MAX_SEGMENTS;
    }
}
