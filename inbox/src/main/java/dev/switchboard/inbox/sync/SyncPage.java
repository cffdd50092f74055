package dev.switchboard.inbox.sync;

import dev.switchboard.inbox.model.SyncEvent;
import java.util.List;

/** Events after a cursor; {@code next} is the cursor to ask from next time. */
public record SyncPage(List<SyncEvent> events, long next, boolean hasMore) {}
