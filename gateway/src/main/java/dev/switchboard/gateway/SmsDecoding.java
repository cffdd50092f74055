package dev.switchboard.gateway;

import dev.switchboard.carrier.smpp.server.SmsTextDecoder;
import java.nio.charset.StandardCharsets;

/** TEMPORARY until the GSM 03.38 codec lands: Latin-1, UCS-2 and ASCII only. */
final class SmsDecoding {
    private SmsDecoding() {}

    static SmsTextDecoder forServer() {
        return (dataCoding, payload) -> switch (dataCoding) {
            case 0, 1 -> new String(payload, StandardCharsets.US_ASCII);
            case 3 -> new String(payload, StandardCharsets.ISO_8859_1);
            case 8 -> new String(payload, StandardCharsets.UTF_16BE);
            default -> throw new SmsTextDecoder.UnsupportedCodingException("data_coding " + dataCoding + " is not supported");
        };
    }
}
