package dev.switchboard.carrier.sms;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a received {@code data_coding} means: the text encoding, and the message class (0 flash,
 * 1 mobile equipment, 2 SIM, 3 terminal equipment) when the value carries one.
 *
 * @param dataCoding the value as received, 0..255
 */
public record ReceivedCoding(int dataCoding, SmsEncoding encoding, OptionalInt messageClass) {

    public ReceivedCoding {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(messageClass, "messageClass");
        if (dataCoding < 0 || dataCoding > 0xFF) {
            throw new IllegalArgumentException("data_coding out of range: " + dataCoding);
        }
        if (messageClass.isPresent() && (messageClass.getAsInt() < 0 || messageClass.getAsInt() > 3)) {
            throw new IllegalArgumentException("message class out of range: " + messageClass.getAsInt());
        }
    }

    /**
     * Decodes a payload (or the concatenated payloads of a complete set) in this encoding. A NUL
     * (a 0x00 octet read as IA5 or Latin-1 — often a GSM '@' from a peer that mislabels its coding)
     * becomes U+FFFD: no text store takes NUL, and refusing the message would only make the peer
     * resend it forever.
     */
    public String decode(byte[] payload) {
        return encoding.decode(payload).replace('\u0000', '\uFFFD');
    }
}
