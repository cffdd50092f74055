package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
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
 * @param warnings what is doubtful about a readable message (empty when nothing is)
 * @param sentAt  for a message decrypted here, the sender's clock as its signed header says; else null
 */
public record DecryptedMessage(String id, boolean e2ee, Source source, String text, List<JsonNode> parts, String error,
        JsonNode message, List<Warning> warnings, Instant sentAt) {

    /** Something doubtful about a message this device could read; {@link #code()} is what {@code --json} shows. */
    public enum Warning {
        /**
         * A message that is not end-to-end encrypted between two numbers that both have signed device
         * lists on this device: anyone with access to the gateway could have written it.
         */
        UNAUTHENTICATED_PLAINTEXT("unauthenticated (not end-to-end)"),
        /**
         * Signed by a device that the latest signed list of its number no longer carries (under the
         * same account key): it was sent by, or in the name of, a device unlinked since.
         */
        SENDER_UNLINKED("sent by a device no longer linked"),
        /**
         * Sealed under a device list version this device never saw: who else it was sealed to cannot
         * be checked (only the sender's signature over the targets vouches for them).
         */
        TARGETS_UNVERIFIED("cannot verify who else it was sealed to"),
        /** The same signed message (sender device and header message id) was already shown under another id. */
        REPLAYED("replayed: the same signed message was shown before");

        private final String label;

        Warning(String label) {
            this.label = label;
        }

        /** {@code unauthenticated_plaintext}, {@code sender_unlinked}, ... */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** For people. */
        public String label() {
            return label;
        }
    }

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
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A message with nothing doubtful about it and no signed time. */
    public DecryptedMessage(String id, boolean e2ee, Source source, String text, List<JsonNode> parts, String error,
            JsonNode message) {
        this(id, e2ee, source, text, parts, error, message, List.of(), null);
    }

    public boolean has(Warning warning) {
        return warnings.contains(warning);
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
