package dev.switchboard.crypto;

import java.util.HexFormat;

/** Hex for test vectors; whitespace inside a value (as the RFCs wrap them) is ignored. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
