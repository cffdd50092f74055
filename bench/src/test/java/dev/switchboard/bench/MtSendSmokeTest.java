package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run of mt-send: a couple of seconds on a few numbers. It checks the harness's
 * correctness checks and its output, never how fast anything was.
 */
class MtSendSmokeTest {
    @TempDir
    Path results;

    @Test
    void quickRunSubmitsAndDeliversEveryAcceptedMessageOnceAndWritesItsResult() throws Exception {
        BenchMain.Outcome outcome = BenchMain.run("mt-send", "--quick", "--numbers", "2", "--seconds", "2",
                "--results", results.toString());
        Result r = outcome.result();

        assertEquals(0, r.lost(), "every accepted POST submitted to the SMSC and delivered at its device");
        assertEquals(0, r.duplicated(), "nothing submitted twice, no status frame twice");
        assertFalse(r.failed());
        JsonObject counts = r.details().getJsonObject("counts");
        assertTrue(counts.getLong("accepted") > 0, "some messages were accepted");
        assertEquals(counts.getLong("accepted"), counts.getLong("submitted"), "each accepted message reached the SMSC");
        assertEquals(counts.getLong("accepted"), counts.getLong("delivered"), "each accepted message was delivered at its device");
        assertEquals(0, counts.getLong("submittedNotAccepted"));
        assertTrue(r.details().getJsonObject("baseline").getLong("acknowledged") > 0, "the raw jsmpp baseline ran");
        assertTrue(r.details().getJsonObject("baseline").getBoolean("allReceiptsArrived"), "the SMSC sent the baseline its receipts");
        assertTrue(r.details().containsKey("targetMet"));

        ResultFileAssertions.assertQuickResultWritten(outcome, results, "mt-send");
    }
}
