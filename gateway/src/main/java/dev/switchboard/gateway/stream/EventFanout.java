package dev.switchboard.gateway.stream;

import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.sync.InboxListener;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes committed sync events to the event bus, one {@link LiveEvents} per number and
 * transaction, encoded once for all of that number's streams.
 */
public final class EventFanout implements InboxListener {
    private final EventBus bus;

    public EventFanout(EventBus bus) {
        this.bus = bus;
        // Replaced, not added: a second fan-out on the same event bus must not fail to start.
        bus.unregisterDefaultCodec(LiveEvents.class);
        bus.registerDefaultCodec(LiveEvents.class, new LiveEvents.Codec());
    }

    @Override
    public void committed(List<SyncEvent> events) {
        Map<String, List<SyncEvent>> byNumber = new LinkedHashMap<>();
        for (SyncEvent e : events) {
            byNumber.computeIfAbsent(e.number(), n -> new ArrayList<>()).add(e);
        }
        byNumber.forEach((number, list) -> bus.publish(Addresses.inboxEvents(number), LiveEvents.of(list)));
    }
}
