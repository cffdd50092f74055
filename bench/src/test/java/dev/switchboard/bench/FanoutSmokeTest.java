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
 * The CI smoke run of fanout: two seconds of end-to-end messages between two numbers with five
 * devices each. It checks that every accepted message was decrypted to its text exactly once by
 * each of the ten devices, that the CPU accounting and the sealing baseline produced figures, and
 * the result file's fields; never how fast anything was.
 */
class FanoutSmokeTest {
    @TempDir
    Path results;

    @Test
    void quickRunDeliversEveryEncryptedMessageOnceToEveryDeviceAndWritesItsResult() throws Exception {
        BenchMain.Outcome outcome = BenchMain.run("fanout", "--quick", "--seconds", "2", "--seal-seconds", "1",
                "--results", results.toString());
        Result r = outcome.result();

        assertEquals(0, r.lost(), "every accepted message decrypted to its text by all ten devices");
        assertEquals(0, r.duplicated(), "no device read a message twice");
        assertFalse(r.failed());
        JsonObject d = r.details();
        JsonObject c = d.getJsonObject("correctness");
        long accepted = c.getLong("accepted");
        assertTrue(d.getJsonObject("measured").getLong("acceptedMessages") > 0, "some messages were accepted while measuring");
        assertEquals(accepted * 10, c.getLong("deviceReads"), "each accepted message read by the 10 devices");
        for (String counter : List.of("sendFailures", "sendsRetriedAfterRefusal", "sentInTheClear", "undecryptable", "wrongText",
                "notEncrypted", "unknownMessages", "readWithWarnings", "readButNotAccepted")) {
            assertEquals(0, c.getLong(counter), counter + " " + c.getJsonObject("samples"));
        }
        JsonObject cpu = d.getJsonObject("cpu");
        assertTrue(cpu.getJsonObject("totalsMs").getDouble("process") > 0, "process CPU measured");
        assertTrue(cpu.getJsonObject("microsPerMessage").getJsonObject("clientByRole").containsKey("sender"),
                "the senders' CPU was told apart");
        assertTrue(cpu.getJsonObject("microsPerMessage").getJsonObject("clientByRole").containsKey("decrypt"),
                "the decryptors' CPU was told apart");
        JsonObject sealing = d.getJsonObject("sealingAlone");
        assertTrue(sealing.getJsonObject("singleThread").getLong("messages") > 0, "the single-thread sealing baseline ran");
        assertTrue(sealing.getJsonObject("sameConcurrency").getLong("messages") > 0, "the concurrent sealing baseline ran");
        assertEquals(10, sealing.getJsonObject("singleThread").getInteger("targetsPerMessage"), "sealed to all ten devices");

        ResultFileAssertions.assertQuickResultWritten(outcome, results, "fanout");
    }
}
