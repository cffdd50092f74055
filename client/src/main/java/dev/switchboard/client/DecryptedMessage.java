package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * What a device can read of one message. For a message that is not end-to-end encrypted that is
 * simply its {@code text} and {@code parts}; for an end-to-end one it is what {@link MessageDecryptor}
 * opened, or what an imported history bundle held for it, or, when neither worked, no content and
 * an {@link #error()} saying why (one message that cannot be read does not hide the others).
 *
 * @param id      the gateway's message id
 * @param e2ee    whether the message is end-to-end encrypted
 * @param source  where the content came from
 * @param text    the text, or null (no text, or not readable)
 * @param parts   the parts besides the text (attachments with their keys: see {@link E2eeContent})
 * @param error   why an end-to-end message could not be read, else null
 * @param message the message as the gateway showed it
 */
public record DecryptedMessage(String id, boolean e2ee, Source source, String text, List<JsonNode> parts, String error,
        JsonNode message) {

    /** Where the readable content came from. */
    public enum Source {
        /** A message that was not end-to-end encrypted: the gateway's copy. */
        PLAIN,
        /** Decrypted here with this device's own key. */
        DECRYPTED,
        /** From the history bundle the primary handed over at link time (this device had no key for it). */
        HISTORY,
        /** Nothing readable: see {@link #error()}. */
        FAILED
    }

    public DecryptedMessage {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** Whether the content could be read. */
    public boolean readable() {
        return source != Source.FAILED;
    }

    public Optional<String> errorIfAny() {
        return Optional.ofNullable(error);
    }

    /** The attachment parts of an end-to-end message (encrypted media with key and digest). */
    public List<JsonNode> attachments() {
        return parts.stream().filter(E2eeContent::isAttachment).toList();
    }
}
