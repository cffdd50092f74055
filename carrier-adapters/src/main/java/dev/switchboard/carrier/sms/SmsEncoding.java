package dev.switchboard.carrier.sms;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text encodings Switchboard speaks on SMPP, each with the {@code data_coding} it is sent with.
 *
 * <p>Outbound text is only ever {@link #GSM7} or {@link #UCS2} (see {@link Segmenter}); Latin-1 and
 * ASCII exist because carriers send them, and because some carriers mean one of them by
 * {@code data_coding} 0 (see {@link DataCoding0}).
 */
public enum SmsEncoding {
    /** GSM 03.38 default alphabet with the extension table, unpacked: one septet per octet. */
    GSM7(0x00),
    /**
     * UTF-16BE without a byte order mark. Called UCS-2 in SMPP, but every handset since emoji reads
     * surrogate pairs, so they are sent as they are, never replaced.
     */
    UCS2(0x08),
    /** ISO-8859-1. */
    LATIN1(0x03),
    /** IA5 / US-ASCII. */
    ASCII(0x01);

    private final byte dataCoding;

    SmsEncoding(int dataCoding) {
        this.dataCoding = (byte) dataCoding;
    }

    /**
     * The {@code data_coding} this encoding is sent with. GSM7 goes out as 0x00, the SMSC default
     * alphabet, so it is right only for carriers whose data_coding 0 means GSM 7-bit.
     */
    public byte dataCoding() {
        return dataCoding;
    }

    /** True when every character of the text has an encoding here. */
    public boolean canEncode(CharSequence text) {
        return switch (this) {
            case GSM7 -> Gsm7Codec.canEncode(text);
            case UCS2 -> true;
            case LATIN1 -> StandardCharsets.ISO_8859_1.newEncoder().canEncode(text);
            case ASCII -> StandardCharsets.US_ASCII.newEncoder().canEncode(text);
        };
    }

    /**
     * Encodes strictly: a character this encoding lacks is an error, never a silent {@code ?}.
     *
     * @throws IllegalArgumentException if a character cannot be encoded
     */
    public byte[] encode(String text) {
        return switch (this) {
            case GSM7 -> Gsm7Codec.encodeUnpacked(text);
            case UCS2 -> utf16be(text);
            case LATIN1 -> strict(StandardCharsets.ISO_8859_1, text);
            case ASCII -> strict(StandardCharsets.US_ASCII, text);
        };
    }

    /**
     * Decodes leniently, because received text must be delivered: undecodable input becomes
     * U+FFFD (GSM7 follows {@link Gsm7Codec#decodeUnpacked}). UCS2 does no BOM detection, so a
     * leading U+FEFF stays in the text as the sender put it.
     */
    public String decode(byte[] bytes) {
        return switch (this) {
            case GSM7 -> Gsm7Codec.decodeUnpacked(bytes);
            case UCS2 -> new String(bytes, StandardCharsets.UTF_16BE);
            case LATIN1 -> new String(bytes, StandardCharsets.ISO_8859_1);
            case ASCII -> new String(bytes, StandardCharsets.US_ASCII);
        };
    }

    // Written by hand rather than with the UTF-16BE charset, which would turn an unpaired surrogate
    // into U+FFFD: UCS-2 can carry any 16-bit unit, and the sender's text goes out as given.
    private static byte[] utf16be(String text) {
        byte[] out = new byte[2 * text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out[2 * i] = (byte) (c >>> 8);
            out[2 * i + 1] = (byte) c;
        }
        return out;
    }

    private static byte[] strict(Charset charset, String text) {
        CharsetEncoder encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer buffer = encoder.encode(CharBuffer.wrap(text));
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text has characters outside " + charset.name(), e);
        }
    }
}
