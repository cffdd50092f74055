package dev.switchboard.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.SyncEvent;
import java.util.ArrayList;
import java.util.List;

/** One readable line per thing, for people; scripts use {@code --json}. */
final class HumanFormat {

    /** Marks what is end-to-end encrypted. */
    static final String LOCK = "\uD83D\uDD12";
    static final String NOT_E2EE = "not end-to-end encrypted (SMS)";
    /** Marks a message something is doubtful about ({@link DecryptedMessage#warnings()}). */
    static final String WARNING = "\u26A0";

    private HumanFormat() {
    }

    /** {@code <peer>  <unread> unread  <last text>}, a lock before an end-to-end conversation's peer. */
    static String conversation(JsonNode conversation) {
        JsonNode last = conversation.path("lastMessage");
        boolean e2ee = conversation.path("e2ee").asBoolean(false);
        String preview = !last.isObject() ? ""
                : last.path("e2ee").asBoolean(false) ? "[end-to-end encrypted message]" : messageText(last);
        return (e2ee ? LOCK + " " : "") + conversation.path("peer").asText() + "  "
                + conversation.path("unread").asInt() + " unread  " + preview;
    }

    /**
     * The first line of {@code messages}: whether the conversation is end-to-end encrypted. One that
     * is not says so, naming SMS unless every message went on-net (two served numbers without
     * signed device lists on both ends).
     */
    static String conversationHeader(JsonNode conversation, List<JsonNode> messages) {
        String peer = conversation.path("peer").asText();
        if (conversation.path("e2ee").asBoolean(false)) {
            return LOCK + " conversation with " + peer + ": end-to-end encrypted";
        }
        boolean onnet = !messages.isEmpty() && messages.stream().allMatch(m -> "onnet".equals(m.path("channel").asText()));
        return "conversation with " + peer + ": " + (onnet ? "not end-to-end encrypted" : NOT_E2EE);
    }

    /**
     * As above, and when some messages between two numbers with signed device lists on this device
     * are not end-to-end encrypted, says how many: the gateway's {@code e2ee} flag on the
     * conversation does not make them authentic (each one is marked, too).
     */
    static String conversationHeader(JsonNode conversation, List<JsonNode> messages, List<DecryptedMessage> read) {
        String header = conversationHeader(conversation, messages);
        long unauthenticated = read.stream().filter(m -> m.has(DecryptedMessage.Warning.UNAUTHENTICATED_PLAINTEXT)).count();
        return unauthenticated == 0 ? header : header + "  " + WARNING + " " + unauthenticated + " message"
                + (unauthenticated == 1 ? "" : "s") + " " + DecryptedMessage.Warning.UNAUTHENTICATED_PLAINTEXT.label();
    }

    /**
     * As {@link #message(JsonNode)}, with what this device could read: a lock and the decrypted text
     * for an end-to-end message, or why it cannot be read.
     */
    static String message(DecryptedMessage read) {
        JsonNode message = read.message();
        if (!read.e2ee()) {
            return message(message) + warnings(read);
        }
        boolean incoming = "in".equals(message.path("direction").asText());
        String peer = message.path(incoming ? "from" : "to").asText();
        String body;
        if (!read.readable()) {
            body = "[cannot decrypt: " + read.error() + "]";
        } else {
            String text = read.text() == null ? "" : read.text();
            List<String> kinds = new ArrayList<>();
            read.parts().forEach(part -> kinds.add(part.path("type").asText()
                    + (part.hasNonNull("fileName") ? " " + part.path("fileName").asText() : "")));
            body = (text + (kinds.isEmpty() ? "" : (text.isEmpty() ? "" : " ") + "[" + String.join(", ", kinds) + "]"))
                    .replaceAll("\\s*[\\r\\n]+\\s*", " \u23ce ");
        }
        return message.path("createdAt").asText() + "  " + LOCK + " " + (incoming ? "<- " : "-> ") + peer + "  "
                + body + "  [" + message.path("status").asText() + "]" + warnings(read);
    }

    /** {@code "  ⚠ <what>; <what>"}, or nothing when nothing about the message is doubtful. */
    private static String warnings(DecryptedMessage read) {
        if (read.warnings().isEmpty()) {
            return "";
        }
        List<String> labels = new ArrayList<>();
        read.warnings().forEach(warning -> labels.add(warning.label()));
        return "  " + WARNING + " " + String.join("; ", labels);
    }

    /** {@code <time>  -> <peer>  <text>  [status]} for outgoing, {@code <-} and the sender for incoming. */
    static String message(JsonNode message) {
        boolean incoming = "in".equals(message.path("direction").asText());
        String peer = message.path(incoming ? "from" : "to").asText();
        return message.path("createdAt").asText() + "  " + (incoming ? "<- " : "-> ") + peer + "  "
                + messageText(message) + "  [" + message.path("status").asText() + "]";
    }

    static String device(JsonNode device) {
        return device.path("id").asText() + "  " + device.path("kind").asText() + "  " + device.path("name").asText()
                + "  last seen " + orDash(device.path("lastSeenAt"))
                + "  synced " + device.path("syncedSeq").asLong()
                + (device.path("current").asBoolean() ? "  (this device)" : "");
    }

    /** {@code #<seq> <type>  <what happened>} */
    static String event(SyncEvent event) {
        JsonNode data = event.data();
        String detail;
        switch (event.type()) {
            case "message.created":
            case "message.updated":
                detail = data.path("e2ee").asBoolean(false) ? LOCK + " " + message(data) : message(data);
                break;
            case "conversation.read":
                detail = "conversation " + data.path("conversationId").asText() + " read up to " + data.path("upTo").asText();
                break;
            case "device.linked":
                detail = data.path("kind").asText() + " " + data.path("id").asText() + " " + data.path("name").asText();
                break;
            case "device.unlinked":
                detail = data.path("kind").asText() + " " + data.path("id").asText() + " " + data.path("name").asText()
                        + (data.hasNonNull("reason") ? " (" + data.path("reason").asText() + ")" : "");
                break;
            default:
                detail = data.toString();
        }
        return "#" + event.seq() + " " + event.type() + "  " + detail;
    }

    static String typing(JsonNode data) {
        return "typing  " + data.path("peer").asText() + "  " + (data.path("active").asBoolean() ? "started" : "stopped");
    }

    /** The text, or a short description of the parts that are not text; always on one line. */
    private static String messageText(JsonNode message) {
        String text = message.path("text").asText("");
        if (text.isEmpty()) {
            List<String> kinds = new ArrayList<>();
            message.path("parts").forEach(part -> {
                if (!"text".equals(part.path("type").asText())) {
                    kinds.add(part.path("type").asText());
                }
            });
            text = kinds.isEmpty() ? "" : "[" + String.join(", ", kinds) + "]";
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ⏎ ");
    }

    private static String orDash(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "-" : value.asText();
    }
}
