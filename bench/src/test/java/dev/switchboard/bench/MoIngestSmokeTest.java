package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run of mo-ingest: a few seconds on a few numbers. It checks the harness's
 * correctness checks and its output, never how fast anything was.
 */
class MoIngestSmokeTest {
    @TempDir
    Path results;

    @Test
    void quickRunLosesAndDuplicatesNothingAndWritesItsResult() throws Exception {
        BenchMain.Outcome outcome = BenchMain.run("mo-ingest", "--quick", "--numbers", "5", "--seconds", "2", "--warmup", "1",
                "--sweep-seconds", "1", "--results", results.toString());
        Result r = outcome.result();

        assertEquals(0, r.lost(), "every acknowledged message committed and seen by both devices");
        assertEquals(0, r.duplicated(), "nothing committed or delivered twice");
        assertFalse(r.failed());
        JsonObject d = r.details();
        assertTrue(d.getLong("acknowledged") > 0, "some submits were acknowledged");
        assertEquals(d.getLong("acknowledged") * 2, d.getLong("deliveryFrames"), "each acknowledged message reached both devices");
        assertEquals(List.of("warm-up", "100% (as fast as acknowledged)", "25%", "50%", "75%", "100%"),
                d.getJsonArray("phases").stream().map(p -> ((JsonObject) p).getString("phase")).toList(), "warm-up, maximum, then the sweep");
        long perPhase = d.getJsonArray("phases").stream().mapToLong(p -> ((JsonObject) p).getLong("acknowledged")).sum();
        assertEquals(d.getLong("acknowledged"), perPhase, "every acknowledged message belongs to one phase");
        assertTrue(d.getJsonObject("ingestTransactions").getLong("transactions") > 0);
        java.awt.image.BufferedImage plot = javax.imageio.ImageIO.read(Path.of(d.getString("plot")).toFile());
        assertTrue(plot != null && plot.getWidth() > 0, "the sweep plot is a readable PNG");
        assertTrue(d.getJsonObject("baseline").getLong("commits") > 0, "the baseline ran");

        ResultFileAssertions.assertQuickResultWritten(outcome, results, "mo-ingest");
    }
}
