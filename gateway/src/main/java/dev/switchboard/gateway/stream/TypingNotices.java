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
    /** Where typing toward a peer outside Switchboard goes (its carrier, when the carrier carries typing). */
    @FunctionalInterface
    public interface OffNet {
        OffNet NONE = (number, peer, active) -> { };

        void typing(String number, String peer, boolean active);
    }

    private final EventBus bus;
    private final OffNet offNet;

    public TypingNotices(EventBus bus) { this(bus, OffNet.NONE); }

    public TypingNotices(EventBus bus, OffNet offNet) {
        this.bus = bus;
        this.offNet = offNet;
    }

    public void publish(Device typist, TypingTarget target, boolean active) {
        bus.publish(Addresses.typing(typist.number()), frame(target.conversationId(), target.peer(), typist.id(), active));
        if (target.peerConversationId() != null) {
            bus.publish(Addresses.typing(target.peer()), frame(target.peerConversationId(), typist.number(), null, active));
        } else {
            offNet.typing(typist.number(), target.peer(), active);
        }
    }

    /** A peer outside Switchboard is typing in the number's conversation with it. */
    public void peerTyping(String number, String conversationId, String peer, boolean active) {
        bus.publish(Addresses.typing(number), frame(conversationId, peer, null, active));
    }

    private static JsonObject frame(String conversationId, String peer, String deviceId, boolean active) {
        return new JsonObject().put("type", "typing").put("data", new JsonObject().put("conversationId", conversationId)
                .put("peer", peer).put("deviceId", deviceId).put("active", active));
    }
}
