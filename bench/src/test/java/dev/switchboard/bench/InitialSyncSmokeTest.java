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
 * The CI smoke run of initial-sync: a small history (inbound over SMPP, replies over HTTP), a newly
 * linked device syncing it. It checks the correctness counters and the result's fields, never how
 * fast anything was.
 */
class InitialSyncSmokeTest {
    @TempDir
    Path results;

    @Test
    void newDeviceEndsWithEveryMessageAndConversationExactlyOnce() throws Exception {
        BenchMain.Outcome outcome = BenchMain.run("initial-sync", "--quick", "--messages", "400", "--conversations", "8",
                "--conversationPage", "5", "--messagePage", "20", "--eventPage", "150", "--rounds", "1",
                "--results", results.toString());
        Result r = outcome.result();

        assertEquals(0, r.lost(), "every stored message and conversation reached the device");
        assertEquals(0, r.duplicated(), "nothing reached it twice");
        assertFalse(r.failed());
        JsonObject d = r.details();
        JsonObject seeding = d.getJsonObject("seeding");
        assertEquals(400, seeding.getLong("inboundOverSmpp") + seeding.getLong("repliesOverHttp"), "every message acknowledged");
        assertEquals(40, seeding.getLong("repliesOverHttp"), "10% are replies");
        assertEquals(40, seeding.getLong("repliesDeliveredAsDeliverSm"), "every reply left as a deliver_sm");
        assertEquals(0, seeding.getLong("outboxLeft"));
        assertEquals(400, seeding.getLong("storedMessages"));
        assertEquals(8, seeding.getLong("storedConversations"));
        JsonObject checks = d.getJsonObject("checks");
        JsonObject device = checks.getJsonArray("devices").getJsonObject(0);
        assertEquals(400, device.getJsonObject("messages").getLong("received"));
        assertEquals(8, device.getJsonObject("conversations").getLong("received"));
        assertEquals(400, checks.getJsonObject("eventLogMessageCreated").getLong("received"));
        assertEquals(400, checks.getLong("baselineRows"));
        // Small pages so the cursors are exercised: 2 conversation pages, 3 message pages per conversation.
        assertEquals(5, d.getJsonObject("firstScreen").getInteger("conversationsShown"));
        assertEquals(24, d.getJsonObject("allHistory").getJsonObject("messagePageMs").getLong("count"));
        assertTrue(d.getJsonObject("allHistory").getLong("bytes") > d.getJsonObject("firstScreen").getLong("bytes"));
        for (String target : List.of("firstScreen", "allHistory")) {
            assertTrue(d.getJsonObject(target).containsKey("targetMet"), target + ".targetMet");
        }

        JsonObject json = ResultFileAssertions.assertQuickResultWritten(outcome, results, "initial-sync");
        assertEquals("ms", json.getString("unit"));
    }
}
