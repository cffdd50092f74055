package dev.switchboard.inbox.sync;

import dev.switchboard.inbox.model.SyncEvent;
import java.util.List;

/** Told about sync events after their transaction committed, in seq order per number. */
@FunctionalInterface
public interface InboxListener {
    void committed(List<SyncEvent> events);

    InboxListener NONE = events -> { };
}
