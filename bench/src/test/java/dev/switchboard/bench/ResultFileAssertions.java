package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What every smoke run must leave behind: the quick result file with issue 7's fields, and its row in RESULTS.md. */
final class ResultFileAssertions {
    private ResultFileAssertions() {}

    /** Returns the result file's JSON for further checks. */
    static JsonObject assertQuickResultWritten(BenchMain.Outcome outcome, Path results, String scenario) throws Exception {
        JsonObject json = new JsonObject(Files.readString(outcome.file()));
        for (String field : List.of("scenario", "date", "machine", "value", "unit", "baseline", "ratio", "lost", "duplicated", "latencyMs")) {
            assertTrue(json.containsKey(field), field);
        }
        for (String field : List.of("name", "value", "unit")) {
            assertTrue(json.getJsonObject("baseline").containsKey(field), "baseline." + field);
        }
        for (String field : List.of("p50", "p99", "p999")) {
            assertTrue(json.getJsonObject("latencyMs").containsKey(field), "latencyMs." + field);
        }
        assertEquals(scenario, json.getString("scenario"));
        assertTrue(outcome.file().getFileName().toString().matches(scenario + "-quick-\\d{4}-\\d{2}-\\d{2}\\.json"),
                outcome.file().toString());
        String md = Files.readString(results.resolve("RESULTS.md"));
        assertTrue(md.contains("| " + scenario + " | quick |"), md);
        return json;
    }
}
