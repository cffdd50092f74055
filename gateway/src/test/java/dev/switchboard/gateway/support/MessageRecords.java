package dev.switchboard.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SentMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reading a sent message back the way a device sees it: its record, its status, its attempts. */
public final class MessageRecords {
    private MessageRecords() {}

    public static JsonNode of(Device device, SentMessage sent) {
        return device.client().allMessages(sent.conversationId()).stream()
                .filter(m -> m.get("id").asText().equals(sent.id())).findFirst().orElseThrow();
    }

    public static void awaitStatus(Device device, SentMessage sent, String status, Duration wait) {
        Eventually.await(sent.id() + " " + status, wait, () -> of(device, sent).get("status").asText().equals(status));
    }

    /** "channel:result" for each attempt, oldest first. */
    public static List<String> attempts(JsonNode m) {
        List<String> out = new ArrayList<>();
        m.get("attempts").forEach(a -> out.add(a.get("channel").asText() + ":" + a.get("result").asText()));
        return out;
    }
}
