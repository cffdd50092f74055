package dev.switchboard.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * A file to send with a message: its bytes, its MIME type and (optionally) its name. To an
 * end-to-end peer it travels encrypted ({@link E2eeSender}); its name and type then only exist
 * inside the encrypted message. The array is copied in and out.
 */
public record Attachment(byte[] bytes, String contentType, String fileName) {

    public Attachment {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Attachment that && Arrays.equals(bytes, that.bytes)
                && contentType.equals(that.contentType) && Objects.equals(fileName, that.fileName);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + contentType.hashCode();
    }

    @Override
    public String toString() {
        return "Attachment[" + bytes.length + " bytes, contentType=" + contentType + ", fileName=" + fileName + "]";
    }
}
