package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of a number's sync log. {@code seq} is gapless per number, which is what lets a device
 * tell a duplicate (seq at or below its cursor) from a gap (seq beyond cursor + 1).
 */
public record SyncEvent(long seq, String type, Instant at, JsonNode data) {

    static SyncEvent fromJson(JsonNode node) {
        return new SyncEvent(
                Json.requiredLong(node, "seq"),
                Json.requiredText(node, "type"),
                Json.instant(node, "at"),
                node.path("data"));
    }
}
