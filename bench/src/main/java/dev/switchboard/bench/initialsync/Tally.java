package dev.switchboard.bench.initialsync;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Compares what a device received (ids with how often it saw each) to what is stored: missing,
 * duplicated (each extra sighting) and unexpected (seen but not stored) ids.
 */
public record Tally(long expected, long received, long missing, long duplicated, long unexpected) {

    public static Tally of(Set<String> expected, Map<String, Integer> seen) {
        long missing = expected.stream().filter(id -> !seen.containsKey(id)).count();
        long duplicated = seen.values().stream().mapToLong(n -> n - 1).sum();
        long unexpected = seen.keySet().stream().filter(id -> !expected.contains(id)).count();
        return new Tally(expected.size(), seen.size(), missing, duplicated, unexpected);
    }

    public JsonObject json() {
        return new JsonObject().put("expected", expected).put("received", received).put("missing", missing)
                .put("duplicated", duplicated).put("unexpected", unexpected);
    }
}
