package dev.switchboard.gateway.stream;

import dev.switchboard.inbox.messages.ConversationQueries.TypingTarget;
import dev.switchboard.inbox.model.Device;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Typing is ephemeral: never stored, pushed to the typist's other devices and, when the peer is
 * served here too, to the peer's devices in their own conversation.
 */
public final class TypingNotices {
    private final EventBus bus;

    public TypingNotices(EventBus bus) { this.bus = bus; }

    public void publish(Device typist, TypingTarget target, boolean active) {
        bus.publish(Addresses.typing(typist.number()), frame(target.conversationId(), target.peer(), typist.id(), active));
        if (target.peerConversationId() != null) {
            bus.publish(Addresses.typing(target.peer()), frame(target.peerConversationId(), typist.number(), null, active));
        }
    }

    private static JsonObject frame(String conversationId, String peer, String deviceId, boolean active) {
        return new JsonObject().put("type", "typing").put("data", new JsonObject().put("conversationId", conversationId)
                .put("peer", peer).put("deviceId", deviceId).put("active", active));
    }
}
