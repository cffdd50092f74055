package dev.switchboard.carrier.rcs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured providers, found by id (webhooks) or by the served number they serve (sends). */
public final class RcsProviderSet {
    /** A provider's settings with its client. */
    public record Entry(RcsProviderSettings settings, RcsProvider provider) {
        public String id() { return settings.id(); }
    }

    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, Entry> byNumber = new HashMap<>();

    public RcsProviderSet(List<Entry> entries) {
        for (Entry e : entries) {
            byId.put(e.id(), e);
            // Configuration refuses a number served by two providers, so the first one is the only one.
            e.settings().numbers().forEach(n -> byNumber.putIfAbsent(n, e));
        }
    }

    public Optional<Entry> byId(String id) { return Optional.ofNullable(byId.get(id)); }

    public Optional<Entry> forNumber(String number) { return Optional.ofNullable(byNumber.get(number)); }

    public boolean isEmpty() { return byId.isEmpty(); }

    public List<Entry> all() { return List.copyOf(byId.values()); }
}
