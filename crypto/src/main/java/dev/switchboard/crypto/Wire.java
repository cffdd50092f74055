package dev.switchboard.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writing and strictly reading the binary layouts of this package (the conventions of
 * {@link Canonical}: an ASCII tag, {@code u32} big-endian lengths, {@code u64} big-endian values
 * that are never negative, strict UTF-8). A reader refuses a wrong tag, a length running past the
 * end, malformed UTF-8, a negative {@code u64} and trailing bytes, each as a {@link CryptoException}.
 */
final class Wire {

    private Wire() {
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static final class Writer {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

        Writer(String tag) {
            out.writeBytes(tag.getBytes(US_ASCII));
        }

        Writer bytes(byte[] value) {
            u32(value.length);
            out.writeBytes(value);
            return this;
        }

        Writer str(String value, String what) {
            return bytes(Bytes.utf8(value, what));
        }

        Writer u32(int value) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write(value >>> shift);
            }
            return this;
        }

        Writer u64(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (value >>> shift));
            }
            return this;
        }

        Writer raw(byte[] value) {
            out.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    static final class Reader {

        private final byte[] in;
        private final String what;
        private int pos;

        /** Reads {@code in} (not copied: the caller keeps it unchanged while reading), named {@code what} in errors. */
        Reader(byte[] in, String what) {
            this.in = Bytes.requireNonNull(in, what);
            this.what = what;
        }

        Reader tag(String tag) {
            byte[] expected = tag.getBytes(US_ASCII);
            if (in.length < expected.length) {
                throw malformed("too short for tag " + tag);
            }
            for (int i = 0; i < expected.length; i++) {
                if (in[i] != expected[i]) {
                    throw malformed("does not start with tag " + tag);
                }
            }
            pos = expected.length;
            return this;
        }

        int u32() {
            need(4, "u32");
            int value = 0;
            for (int i = 0; i < 4; i++) {
                value = (value << 8) | (in[pos++] & 0xff);
            }
            return value;
        }

        long u64(String field) {
            need(8, field);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (in[pos++] & 0xffL);
            }
            if (value < 0) {
                throw malformed(field + " is out of range (above 2^63 - 1)");
            }
            return value;
        }

        byte[] bytes(String field) {
            long length = u32() & 0xffffffffL;
            if (length > in.length - pos) {
                throw malformed(field + " claims " + length + " bytes, only " + (in.length - pos) + " left");
            }
            byte[] out = new byte[(int) length];
            System.arraycopy(in, pos, out, 0, out.length);
            pos += out.length;
            return out;
        }

        String str(String field) {
            byte[] utf8 = bytes(field);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(utf8))
                        .toString();
            } catch (CharacterCodingException e) {
                throw malformed(field + " is not well-formed UTF-8");
            }
        }

        byte[] rest() {
            byte[] out = new byte[in.length - pos];
            System.arraycopy(in, pos, out, 0, out.length);
            pos = in.length;
            return out;
        }

        int remaining() {
            return in.length - pos;
        }

        void end() {
            if (pos != in.length) {
                throw malformed("has " + (in.length - pos) + " trailing bytes");
            }
        }

        private void need(int count, String field) {
            if (in.length - pos < count) {
                throw malformed("is truncated in " + field);
            }
        }

        CryptoException malformed(String detail) {
            return new CryptoException(what + " is malformed: " + detail);
        }
    }
}
