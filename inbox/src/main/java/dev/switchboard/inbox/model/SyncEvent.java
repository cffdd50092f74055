package dev.switchboard.inbox.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One committed change to a number's inbox. {@code seq} is per number, gapless and in commit
 * order; {@code data} is the event's payload exactly as devices receive it.
 */
public record SyncEvent(String number, long seq, String type, Instant at, JsonObject data) {

    public static final String MESSAGE_CREATED = "message.created";
    public static final String MESSAGE_UPDATED = "message.updated";
    public static final String CONVERSATION_READ = "conversation.read";
    /** A conversation's own state changed (the peer unsubscribed from or subscribed to RCS messages). */
    public static final String CONVERSATION_UPDATED = "conversation.updated";
    public static final String DEVICE_LINKED = "device.linked";
    public static final String DEVICE_UNLINKED = "device.unlinked";
    /** A device rotated its encryption key. */
    public static final String DEVICE_UPDATED = "device.updated";
    /** The primary signed a new device list. */
    public static final String DEVICE_LIST_UPDATED = "device_list.updated";

    public JsonObject toJson() {
        return new JsonObject().put("seq", seq).put("type", type).put("at", at.toString()).put("data", data);
    }
}
