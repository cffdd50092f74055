package dev.switchboard.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SyncEvent;
import java.util.ArrayList;
import java.util.List;

/** One readable line per thing, for people; scripts use {@code --json}. */
final class HumanFormat {

    private HumanFormat() {
    }

    /** {@code <peer>  <unread> unread  <last text>} */
    static String conversation(JsonNode conversation) {
        JsonNode last = conversation.path("lastMessage");
        return conversation.path("peer").asText() + "  "
                + conversation.path("unread").asInt() + " unread  "
                + (last.isObject() ? messageText(last) : "");
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
                detail = message(data);
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
