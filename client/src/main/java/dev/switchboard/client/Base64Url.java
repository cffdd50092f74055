package dev.switchboard.client;

import java.util.Base64;

/** The API's binary encoding: base64url without padding, for keys, signatures and opaque blobs. */
final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** @throws IllegalArgumentException if {@code text} is not base64url */
    static byte[] decode(String text) {
        return DECODER.decode(text);
    }
}
