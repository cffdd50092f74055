package dev.switchboard.client;

import java.util.List;

/** A page of {@code GET /v1/sync}: pass {@code next} as the next {@code since} while {@code hasMore}. */
public record SyncPage(List<SyncEvent> events, long next, boolean hasMore) {

    public SyncPage {
        events = List.copyOf(events);
    }
}
