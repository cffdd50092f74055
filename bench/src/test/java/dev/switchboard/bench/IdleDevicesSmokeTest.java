package dev.switchboard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run of idle-devices: a few enrolled devices (one number through the API, the rest
 * through the inbox services in-process, so both enrollment paths run) held by a child JVM, once on
 * the gateway's stream and once on the bare baseline server. It checks that every device got its
 * event once and that the result has its fields, never how much memory or time anything took.
 */
class IdleDevicesSmokeTest {
    @TempDir
    Path results;

    @Test
    void everyIdleDeviceGetsItsEventOnceAndTheRunWritesItsResult() throws Exception {
        BenchMain.Outcome outcome = BenchMain.run("idle-devices", "--quick", "--devices", "12", "--apiSampleNumbers", "1",
                "--enroll", "inprocess", "--results", results.toString());
        Result r = outcome.result();

        assertEquals(0, r.lost(), "every device got its number's event");
        assertEquals(0, r.duplicated(), "no device got an event twice or another number's");
        assertFalse(r.failed());
        JsonObject d = r.details();
        assertEquals(12, d.getInteger("devices"), "12 descriptors are always there to be had");
        assertEquals(3, d.getInteger("numbers"), "5 devices per number: 5 + 5 + 2");
        JsonObject ours = d.getJsonObject("gateway");
        assertEquals(12, ours.getInteger("connected"));
        assertEquals(12, ours.getJsonObject("push").getInteger("devicesReceived"));
        assertEquals(3, ours.getJsonObject("push").getInteger("acknowledged"), "one inbound SMS per number");
        JsonObject bare = d.getJsonObject("baseline");
        assertEquals(12, bare.getInteger("connected"), "the baseline held the same devices");
        assertEquals(12, bare.getJsonObject("push").getInteger("devicesReceived"));
        assertTrue(d.getJsonObject("enrollment").getString("rest").startsWith("in-process"));
        assertTrue(d.containsKey("targetMet"));
        assertTrue(ours.containsKey("rssBytesPerConnection") && bare.containsKey("rssBytesPerConnection"));
        assertFalse(ours.getJsonArray("topClassesPerConnection").isEmpty(), "the heap histogram was read");

        ResultFileAssertions.assertQuickResultWritten(outcome, results, "idle-devices");
    }
}
