package dev.switchboard.bench.initialsync;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether a device that synced ended with exactly what the gateway holds: every stored message
 * (by id, with its text) and conversation once, and every message the gateway acknowledged while
 * seeding among them. {@code lost} and {@code duplicated} are the scenario's correctness counters.
 */
public record DeviceCheck(Tally messages, Tally conversations, long wrongText, long acknowledgedNotOnDevice) {

    public static DeviceCheck of(StoredHistory stored, HistorySeeder.Seeded seeded, FirstSync.Outcome sync) {
        long wrongText = stored.textById().entrySet().stream()
                .filter(e -> sync.textById().containsKey(e.getKey()) && !e.getValue().equals(sync.textById().get(e.getKey())))
                .count();
        Set<String> received = new HashSet<>(sync.textById().values());
        long notOnDevice = seeded.acknowledgedTexts().stream().filter(t -> !received.contains(t)).count();
        return new DeviceCheck(Tally.of(stored.textById().keySet(), sync.messageCounts()),
                Tally.of(stored.conversationIds(), sync.conversationCounts()), wrongText, notOnDevice);
    }

    /** Messages or conversations missing, unexpected or wrong, and acknowledged messages the device never got. */
    public long lost() {
        return messages.missing() + messages.unexpected() + conversations.missing() + conversations.unexpected() + wrongText
                + acknowledgedNotOnDevice;
    }

    public long duplicated() {
        return messages.duplicated() + conversations.duplicated();
    }

    public JsonObject json() {
        return new JsonObject().put("messages", messages.json()).put("conversations", conversations.json()).put("wrongText", wrongText)
                .put("acknowledgedNotOnDevice", acknowledgedNotOnDevice);
    }

    /** Ingest's side: acknowledged but not stored, and stored more than once (by text). */
    public static JsonObject ingest(StoredHistory stored, HistorySeeder.Seeded seeded) {
        Map<String, Integer> storedTexts = stored.textCounts();
        long notStored = seeded.acknowledgedTexts().stream().filter(t -> !storedTexts.containsKey(t)).count();
        long storedTwice = storedTexts.values().stream().mapToLong(n -> n - 1).sum();
        return new JsonObject().put("acknowledgedNotStored", notStored).put("storedTwice", storedTwice);
    }
}
