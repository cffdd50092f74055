package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.messages.RcsCapabilityStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells an RCS peer that someone at the number is typing. Typing is best effort: one IS_TYPING per
 * peer every few seconds at most, only to peers whose cached capability says RCS reaches them, and
 * a failure is not retried.
 */
public final class RcsTypingRelay {
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(3);
    private static final int MAX_TRACKED = 10_000;

    private final RcsProviderSet providers;
    private final RcsCapabilityStore capabilities;
    private final Clock clock;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

    public RcsTypingRelay(RcsProviderSet providers, RcsCapabilityStore capabilities, Clock clock) {
        this.providers = providers;
        this.capabilities = capabilities;
        this.clock = clock;
    }

    public void typing(String number, String peer, boolean active) {
        var entry = providers.forNumber(number);
        if (!active || entry.isEmpty()) {
            return;
        }
        String key = number + "\n" + peer;
        Instant now = clock.instant();
        Instant last = lastSent.get(key);
        if (last != null && last.plus(MIN_INTERVAL).isAfter(now)) {
            return;
        }
        lastSent.put(key, now);
        if (lastSent.size() > MAX_TRACKED) {
            // Only recent entries matter for the throttle; older ones would just accumulate one per peer forever.
            lastSent.values().removeIf(t -> t.plus(MIN_INTERVAL).isBefore(now));
        }
        capabilities.fresh(entry.get().id(), peer).onSuccess(cached -> {
            if (cached.isPresent() && cached.get().reachable()) {
                entry.get().provider().typing(peer, UUID.randomUUID().toString());
            }
        });
    }
}
