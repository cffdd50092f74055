package dev.switchboard.crypto;

import java.util.Arrays;

/**
 * A message that {@link MessageOpener#open} authenticated and decrypted: its decoded header and
 * the plaintext payload. The plaintext array is copied in and out.
 */
public record Opened(MessageHeader header, byte[] plaintext) {

    public Opened {
        if (header == null) {
            throw new CryptoException("opened message header is missing");
        }
        plaintext = Bytes.requireNonNull(plaintext, "plaintext").clone();
    }

    @Override
    public byte[] plaintext() {
        return plaintext.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Opened that && header.equals(that.header) && Arrays.equals(plaintext, that.plaintext);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(plaintext);
    }

    @Override
    public String toString() {
        return "Opened[header=" + header + ", plaintext=" + plaintext.length + " bytes]";
    }
}
