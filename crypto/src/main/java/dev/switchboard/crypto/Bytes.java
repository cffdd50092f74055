package dev.switchboard.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Argument checks, concatenation and strict UTF-8 shared by this package. */
final class Bytes {

    static final int KEY_LENGTH = 32;

    private Bytes() {
    }

    static byte[] requireLength(byte[] value, int length, String what) {
        if (value == null) {
            throw new CryptoException(what + " is missing");
        }
        if (value.length != length) {
            throw new CryptoException(what + " must be " + length + " bytes, got " + value.length);
        }
        return value;
    }

    static byte[] requireKey(byte[] value, String what) {
        return requireLength(value, KEY_LENGTH, what);
    }

    static byte[] requireNonNull(byte[] value, String what) {
        if (value == null) {
            throw new CryptoException(what + " is missing");
        }
        return value;
    }

    /** {@code null} reads as empty, for optional inputs such as associated data. */
    static byte[] orEmpty(byte[] value) {
        return value == null ? new byte[0] : value;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    static boolean allZero(byte[] value) {
        int acc = 0;
        for (byte b : value) {
            acc |= b;
        }
        return acc == 0;
    }


    /** Strict UTF-8: an unpaired surrogate is an error, not a silent '?' that two strings could share. */
    static byte[] utf8(String value, String what) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] out = new byte[encoded.remaining()];
            encoded.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new CryptoException(what + " is not well-formed Unicode", e);
        }
    }
}
