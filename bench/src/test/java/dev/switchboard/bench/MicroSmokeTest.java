package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run of micro: JMH in-process with one short iteration per benchmark. It checks that
 * every round trip holds, that every benchmark and baseline produced a figure and that the result
 * is written, never how fast anything was.
 */
class MicroSmokeTest {
    @TempDir
    Path results;

    @Test
    void quickRunPassesItsRoundTripsAndReportsEveryBenchmarkBesideItsBaseline() throws Exception {
        BenchMain.Outcome outcome = BenchMain.run("micro", "--quick", "--results", results.toString());
        Result r = outcome.result();

        JsonObject d = r.details();
        assertEquals(0, r.lost(), () -> "round-trip checks failed: " + d.getJsonObject("checks").encodePrettily());
        assertEquals(0, r.duplicated());
        assertFalse(r.failed());
        assertTrue(d.getJsonObject("checks").getInteger("run") > 40, "the checks ran");
        assertTrue(r.value() > 0, "the headline has a figure");
        assertTrue(r.baseline().value() > 0, "the baseline has a figure");

        JsonArray benchmarks = d.getJsonArray("benchmarks");
        assertEquals(7, benchmarks.size());
        assertEquals("SmsBenchmarks.gsmPlan", benchmarks.getJsonObject(0).getString("name"), "the headline comes first");
        for (int i = 0; i < benchmarks.size(); i++) {
            JsonObject b = benchmarks.getJsonObject(i);
            assertTrue(b.getDouble("score") > 0, b.encode());
            assertEquals("ops/s", b.getString("unit"), b.encode());
            assertTrue(b.getJsonObject("baseline").getDouble("score") > 0, b.encode());
            assertNotNull(b.getDouble("ratio"), b.encode());
        }
        assertEquals(2, d.getJsonArray("components").size());
        assertTrue(d.getJsonObject("latency").getLong("samples") > 0, "the headline was sampled");
        assertEquals(0, d.getJsonObject("jmh").getInteger("forks"), "the smoke run stays in this JVM");

        ResultFileAssertions.assertQuickResultWritten(outcome, results, "micro");
    }
}
