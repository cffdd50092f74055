package dev.switchboard.gateway.stream;

import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.sync.InboxListener;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Publishes committed sync events to the event bus, one message per number and transaction. */
public final class EventFanout implements InboxListener {
    private final EventBus bus;

    public EventFanout(EventBus bus) { this.bus = bus; }

    @Override
    public void committed(List<SyncEvent> events) {
        Map<String, JsonArray> byNumber = new LinkedHashMap<>();
        for (SyncEvent e : events) {
            byNumber.computeIfAbsent(e.number(), n -> new JsonArray()).add(e.toJson());
        }
        byNumber.forEach((number, array) -> bus.publish(Addresses.inboxEvents(number), array));
    }
}
