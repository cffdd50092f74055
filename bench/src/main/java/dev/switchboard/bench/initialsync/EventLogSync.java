package dev.switchboard.bench.initialsync;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The other way a device can get everything: the sync log from seq 0, {@code GET /v1/sync} pages of
 * {@code limit} events until {@code hasMore} is false — the web inbox's catch-up loop and what the
 * Java client's stream replays from cursor 0. Measured as a secondary figure: it carries every
 * event (creations and status changes), not one row per message.
 */
public final class EventLogSync {

    public record Outcome(long nanos, long bytes, long requests, long events, Map<String, Integer> createdCounts, Histogram pageMicros) {}

    private final MeteredApi api;
    private final int limit;

    public EventLogSync(URI server, String token, int limit) {
        this.api = new MeteredApi(server, token);
        this.limit = limit;
    }

    public Outcome run() throws IOException, InterruptedException {
        Histogram micros = new Histogram(3);
        Map<String, Integer> created = new HashMap<>();
        long events = 0;
        long since = 0;
        long t0 = System.nanoTime();
        JsonNode page;
        do {
            page = api.get("/v1/sync?since=" + since + "&limit=" + limit, micros);
            for (JsonNode e : page.path("events")) {
                events++;
                if ("message.created".equals(e.path("type").asText())) {
                    created.merge(e.path("data").path("id").asText(), 1, Integer::sum);
                }
            }
            since = page.path("next").asLong(since);
        } while (page.path("hasMore").asBoolean(false));
        return new Outcome(System.nanoTime() - t0, api.bodyBytes(), api.requests(), events, created, micros);
    }
}
