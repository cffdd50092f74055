package dev.switchboard.gateway.e2ee;

import static dev.switchboard.gateway.e2ee.Sealing.b64;
import static dev.switchboard.gateway.e2ee.Sealing.body;
import static dev.switchboard.gateway.e2ee.Sealing.e2eeNumber;
import static dev.switchboard.gateway.e2ee.Sealing.open;
import static dev.switchboard.gateway.e2ee.Sealing.seal;
import static dev.switchboard.gateway.e2ee.Sealing.send;
import static dev.switchboard.gateway.e2ee.Sealing.targets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SyncStream;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.crypto.Recipient;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End-to-end messages between two served numbers: stored once, delivered to every device of both,
 * and shown to each device with its own wrapped key only, wherever it reads them (message lists, one
 * message, conversation previews, sync pages, the live stream and its replay).
 */
class E2eeDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void everyTargetDeviceReadsTheMessageWithOnlyItsOwnKeyInRestSyncAndTheStream() throws Exception {
        List<Device> a = e2eeNumber(gw, "+390620010001", "laptop");
        List<Device> b = e2eeNumber(gw, "+390620010002", "laptop");
        Device sender = a.get(0);
        String to = b.get(0).number();
        EventRecorder live = new EventRecorder();
        SealedMessage sealed;
        try (SyncStream stream = b.get(1).client().stream(CursorStore.inMemory(gw.get("/v1/sync", b.get(1).token()).json().getLong("next")), live)) {
            stream.start();
            live.await("connected", WAIT, r -> r.connects() == 1);

            sealed = seal(sender, to, targets(gw, sender, to), "meet at noon");
            HttpResult sent = send(gw, sender, body(to, sealed));
            assertEquals(202, sent.status(), sent.body());
            assertEquals("onnet", sent.json().getString("channel"));
            assertEquals("delivered", sent.json().getString("status"));

            for (Device reader : Stream.concat(a.stream(), b.stream()).toList()) {
                String peer = reader.number().equals(to) ? sender.number() : to;
                JsonObject conversation = conversationWith(reader, peer);
                assertTrue(conversation.getBoolean("e2ee"), "both numbers are e2ee-capable");
                assertOwnView(reader, conversation.getJsonObject("lastMessage"), sealed, sender);

                JsonObject page = gw.get("/v1/conversations/" + conversation.getString("id") + "/messages", reader.token()).json();
                JsonObject listed = page.getJsonArray("messages").getJsonObject(0);
                assertOwnView(reader, listed, sealed, sender);
                assertEquals(reader.number().equals(to) ? "in" : "out", listed.getString("direction"));

                HttpResult one = gw.get("/v1/messages/" + listed.getString("id"), reader.token());
                assertEquals(200, one.status(), one.body());
                assertOwnView(reader, one.json(), sealed, sender);

                assertOwnView(reader, createdEvent(syncEvents(reader), listed.getString("id")), sealed, sender);
            }

            live.await("the live message", WAIT, r -> r.count(e -> e.type().equals("message.created")) == 1);
            JsonObject pushed = new JsonObject(live.events().stream().filter(e -> e.type().equals("message.created"))
                    .findFirst().orElseThrow().data().toString());
            assertOwnView(b.get(1), pushed, sealed, sender);
        }

        // A stream opened later replays the message from the log, again with the reader's own key.
        EventRecorder replay = new EventRecorder();
        try (SyncStream stream = a.get(1).client().stream(CursorStore.inMemory(0), replay)) {
            stream.start();
            replay.await("the replayed message", WAIT, r -> r.count(e -> e.type().equals("message.created")) == 1);
            JsonObject replayed = new JsonObject(replay.events().stream().filter(e -> e.type().equals("message.created"))
                    .findFirst().orElseThrow().data().toString());
            assertOwnView(a.get(1), replayed, sealed, sender);
        }
    }

    @Test
    void aDeviceLinkedAfterTheMessageSeesItWithoutAKeyAndTheNextMessageMustIncludeIt() throws Exception {
        List<Device> a = e2eeNumber(gw, "+390620010011");
        List<Device> b = e2eeNumber(gw, "+390620010012");
        Device sender = a.get(0);
        String to = b.get(0).number();
        List<Recipient> targetsBefore = targets(gw, sender, to);
        SealedMessage before = seal(sender, to, targetsBefore, "before the tablet");
        assertEquals(202, send(gw, sender, body(to, before)).status());

        Device tablet = gw.link(b.get(0), "tablet");
        JsonObject conversation = conversationWith(tablet, sender.number());
        JsonObject seen = gw.get("/v1/conversations/" + conversation.getString("id") + "/messages", tablet.token()).json()
                .getJsonArray("messages").getJsonObject(0);
        assertTrue(seen.getBoolean("e2ee"));
        JsonObject encrypted = seen.getJsonObject("encrypted");
        assertNotNull(encrypted, seen.encode());
        assertTrue(encrypted.containsKey("key"));
        assertNull(encrypted.getValue("key"), "the tablet was not a target");
        assertEquals(b64(before.ciphertext()), encrypted.getString("ciphertext"), "it still sees what exists, for a history import");
        assertFalse(encrypted.getJsonArray("targets").contains(tablet.id()));
        assertNull(createdEvent(syncEvents(tablet), seen.getString("id")).getJsonObject("encrypted").getValue("key"));

        HttpResult stale = send(gw, sender, body(to, seal(sender, to, targetsBefore, "sealed to yesterday's devices")));
        assertEquals(409, stale.status(), stale.body());
        assertEquals("device_mismatch", stale.error());
        assertEquals(new JsonArray().add(new JsonObject().put("number", to).put("deviceId", tablet.id())),
                stale.json().getJsonArray("missingDevices"));

        SealedMessage after = seal(sender, to, targets(gw, sender, to), "after the tablet");
        assertEquals(202, send(gw, sender, body(to, after)).status());
        JsonObject latest = gw.get("/v1/conversations/" + conversation.getString("id") + "/messages", tablet.token()).json()
                .getJsonArray("messages").getJsonObject(0);
        assertEquals("after the tablet", open(latest, tablet, sender));
    }

    @Test
    void theCiphertextIsStoredOnceWithOneKeyPerDeviceAndAnIdempotentRetryAddsNothing() throws Exception {
        List<Device> a = e2eeNumber(gw, "+390620010021", "laptop");
        List<Device> b = e2eeNumber(gw, "+390620010022", "laptop", "tablet");
        Device sender = a.get(1);
        String to = b.get(0).number();
        String plaintext = "the secret is 4242 swordfish";
        SealedMessage sealed = seal(sender, to, targets(gw, sender, to), plaintext);
        JsonObject body = body(to, sealed);
        HttpResult first = send(gw, sender, body, "retry-1");
        HttpResult retry = send(gw, sender, body, "retry-1");
        assertEquals(202, first.status(), first.body());
        assertEquals(202, retry.status(), retry.body());
        assertEquals(first.json(), retry.json(), "the retry gets the stored answer");

        try (Connection c = gw.jdbc()) {
            assertEquals(1, count(c, "SELECT count(*) FROM e2ee_payloads WHERE from_number = ?", sender.number()));
            String payloadId = string(c, "SELECT id FROM e2ee_payloads WHERE from_number = ?", sender.number());
            assertEquals(5, count(c, "SELECT count(*) FROM e2ee_keys WHERE payload_id = ?", payloadId), "2 devices of A + 3 of B");
            assertEquals(2, count(c, "SELECT count(*) FROM messages WHERE payload_id = ? AND e2ee", payloadId), "one copy per inbox");
            try (PreparedStatement s = c.prepareStatement("SELECT ciphertext FROM e2ee_payloads WHERE id = ?")) {
                s.setString(1, payloadId);
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next());
                    assertArrayEquals(sealed.ciphertext(), r.getBytes(1));
                }
            }
            assertEquals(2, count(c, "SELECT count(*) FROM messages WHERE payload_id = ? AND content = '{\"parts\": [], \"suggestions\": []}'::jsonb",
                    payloadId), "no content on the server");
            // The sync log holds a reference only: no ciphertext and no wrapped key, once or per device.
            assertEquals(2, count(c, "SELECT count(*) FROM sync_events WHERE data->>'payloadId' = ?", payloadId));
            assertEquals(0, count(c, "SELECT count(*) FROM sync_events WHERE data::text LIKE '%' || ? || '%'",
                    b64(sealed.ciphertext()).substring(0, 40)));
            assertEquals(0, count(c, "SELECT count(*) FROM sync_events WHERE data->'encrypted' IS NOT NULL"));
            for (String table : List.of("messages", "sync_events", "e2ee_payloads", "e2ee_keys", "idempotency_keys", "conversations")) {
                assertEquals(0, count(c, "SELECT count(*) FROM " + table + " t WHERE t::text LIKE '%swordfish%'"), table);
            }
        }
    }

    @Test
    void readTicksOfAnEncryptedMessageReachTheSenderWithItsOwnView() throws Exception {
        List<Device> a = e2eeNumber(gw, "+390620010051", "laptop");
        List<Device> b = e2eeNumber(gw, "+390620010052");
        Device sender = a.get(0);
        String to = b.get(0).number();
        SealedMessage sealed = seal(sender, to, targets(gw, sender, to), "meet at noon");
        String outId = send(gw, sender, body(to, sealed)).json().getString("id");

        JsonObject inbound = conversationWith(b.get(0), sender.number());
        String inId = inbound.getJsonObject("lastMessage").getString("id");
        assertEquals(204, gw.post("/v1/conversations/" + inbound.getString("id") + "/read", b.get(0).token(),
                new JsonObject().put("upTo", inId).encode()).status());

        JsonObject updated = syncEvents(a.get(1)).stream().filter(e -> e.getString("type").equals("message.updated")
                && e.getJsonObject("data").getString("id").equals(outId)).findFirst().orElseThrow().getJsonObject("data");
        assertEquals("read", updated.getString("status"));
        assertOwnView(a.get(1), updated, sealed, sender);
    }

    @Test
    void encryptedMediaIsGrantedToTheRecipientNumberOnly() throws Exception {
        List<Device> a = e2eeNumber(gw, "+390620010031");
        List<Device> b = e2eeNumber(gw, "+390620010032");
        Device stranger = gw.primary("+390620010033");
        Device sender = a.get(0);
        String to = b.get(0).number();
        String mediaId = sender.client().uploadMedia(new byte[] {1, 2, 3, 4}, "application/octet-stream", null).get("mediaId").asText();
        assertEquals(404, gw.get("/v1/media/" + mediaId, b.get(0).token()).status(), "not shared yet");

        JsonObject request = body(to, seal(sender, to, targets(gw, sender, to), "see attachment"));
        request.getJsonObject("e2ee").put("mediaIds", new JsonArray().add(mediaId));
        HttpResult sent = send(gw, sender, request);
        assertEquals(202, sent.status(), sent.body());
        assertEquals(200, gw.get("/v1/media/" + mediaId, b.get(0).token()).status());
        assertEquals(404, gw.get("/v1/media/" + mediaId, stranger.token()).status());

        JsonObject unknown = body(to, seal(sender, to, targets(gw, sender, to), "see attachment"));
        unknown.getJsonObject("e2ee").put("mediaIds", new JsonArray().add("med_not_mine"));
        HttpResult refused = send(gw, sender, unknown);
        assertEquals(422, refused.status(), refused.body());
        assertEquals("unknown_media", refused.error());
    }

    @Test
    void conversationsSayWhetherTheyAreEndToEnd() throws Exception {
        Device plain = gw.primary("+390620010041");
        Device other = gw.primary("+390620010042");
        List<Device> capable = e2eeNumber(gw, "+390620010043");
        assertEquals(202, gw.request("POST", "/v1/messages", plain.token(),
                new JsonObject().put("to", other.number()).put("text", "no lists here").encode(),
                java.util.Map.of("Idempotency-Key", "plain-1")).status());
        assertEquals(202, gw.request("POST", "/v1/messages", capable.get(0).token(),
                new JsonObject().put("to", plain.number()).put("text", "one end only").encode(),
                java.util.Map.of("Idempotency-Key", "plain-2")).status());
        assertEquals(202, gw.request("POST", "/v1/messages", capable.get(0).token(),
                new JsonObject().put("to", "+15550100999").put("text", "to a carrier").encode(),
                java.util.Map.of("Idempotency-Key", "plain-3")).status());

        assertFalse(conversationWith(plain, other.number()).getBoolean("e2ee"));
        assertFalse(conversationWith(capable.get(0), plain.number()).getBoolean("e2ee"));
        JsonObject carrier = conversationWith(capable.get(0), "+15550100999");
        assertFalse(carrier.getBoolean("e2ee"));
        assertFalse(carrier.getJsonObject("lastMessage").getBoolean("e2ee"));
        assertFalse(carrier.getJsonObject("lastMessage").containsKey("encrypted"));
    }

    /** The reader's view of "meet at noon": no content, the one payload, and exactly the reader's own wrapped key, which opens. */
    @Test
    void everyLiveStreamOfANumberGetsTheOneSharedEventWithItsOwnKeyOnly() throws Exception {
        // Both devices of B (and A's other device) stream live at once: the committed event is encoded once and
        // shared by the streams of a number, and each hydrates its own copy with its own key.
        List<Device> a = e2eeNumber(gw, "+390620010091", "laptop");
        List<Device> b = e2eeNumber(gw, "+390620010092", "laptop");
        Device sender = a.get(0);
        String to = b.get(0).number();
        List<Device> readers = List.of(b.get(0), b.get(1), a.get(1));
        List<EventRecorder> recorders = new ArrayList<>();
        List<SyncStream> streams = new ArrayList<>();
        try {
            for (Device reader : readers) {
                EventRecorder recorder = new EventRecorder();
                SyncStream stream = reader.client().stream(
                        CursorStore.inMemory(gw.get("/v1/sync", reader.token()).json().getLong("next")), recorder);
                streams.add(stream);
                stream.start();
                recorder.await("connected", WAIT, r -> r.connects() == 1);
                recorders.add(recorder);
            }
            SealedMessage sealed = seal(sender, to, targets(gw, sender, to), "meet at noon");
            HttpResult sent = send(gw, sender, body(to, sealed));
            assertEquals(202, sent.status(), sent.body());
            for (int i = 0; i < readers.size(); i++) {
                recorders.get(i).await("the live message", WAIT, r -> r.count(e -> e.type().equals("message.created")) == 1);
                JsonObject pushed = new JsonObject(recorders.get(i).events().stream().filter(e -> e.type().equals("message.created"))
                        .findFirst().orElseThrow().data().toString());
                assertOwnView(readers.get(i), pushed, sealed, sender);
            }
        } finally {
            streams.forEach(SyncStream::close);
        }
    }

    private static void assertOwnView(Device reader, JsonObject message, SealedMessage sealed, Device sender) {
        assertTrue(message.getBoolean("e2ee"), message.encode());
        assertNull(message.getValue("text"));
        assertEquals(new JsonArray(), message.getJsonArray("parts"));
        assertFalse(message.containsKey("payloadId"), "the stored reference is replaced");
        JsonObject enc = message.getJsonObject("encrypted");
        assertEquals(b64(sealed.header()), enc.getString("header"));
        assertEquals(b64(sealed.ciphertext()), enc.getString("ciphertext"));
        assertEquals(b64(sealed.keyCommitment()), enc.getString("keyCommitment"));
        assertEquals(b64(sealed.signature()), enc.getString("signature"));
        assertEquals(sender.id(), enc.getString("senderDeviceId"));
        List<String> sortedTargets = new ArrayList<>(sealed.targetDeviceIds());
        sortedTargets.sort(null);
        assertEquals(new JsonArray(new ArrayList<>(sortedTargets)), enc.getJsonArray("targets"));
        JsonObject key = enc.getJsonObject("key");
        assertEquals(new JsonObject().put("encryptionKeyId", "1").put("wrappedKey", b64(keyFor(sealed, reader.id()))), key,
                "the reader's own key and nothing else");
        assertEquals("meet at noon", open(message, reader, sender));
    }

    private static byte[] keyFor(SealedMessage sealed, String deviceId) {
        return sealed.keys().stream().filter(k -> k.deviceId().equals(deviceId)).findFirst().orElseThrow().wrapped();
    }

    private static JsonObject conversationWith(Device reader, String peer) throws Exception {
        HttpResult r = gw.get("/v1/conversations?peer=" + URLEncoder.encode(peer, StandardCharsets.UTF_8), reader.token());
        assertEquals(200, r.status(), r.body());
        JsonArray list = r.json().getJsonArray("conversations");
        assertEquals(1, list.size(), r.body());
        return list.getJsonObject(0);
    }

    private static List<JsonObject> syncEvents(Device reader) throws Exception {
        HttpResult r = gw.get("/v1/sync?since=0&limit=1000", reader.token());
        assertEquals(200, r.status(), r.body());
        return r.json().getJsonArray("events").stream().map(JsonObject.class::cast).toList();
    }

    private static JsonObject createdEvent(List<JsonObject> events, String messageId) {
        Optional<JsonObject> event = events.stream().filter(e -> e.getString("type").equals("message.created")
                && e.getJsonObject("data").getString("id").equals(messageId)).findFirst();
        return event.orElseThrow(() -> new AssertionError("no message.created for " + messageId + " in " + events)).getJsonObject("data");
    }

    private static long count(Connection c, String sql, String... args) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String string(Connection c, String sql, String arg) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                return r.getString(1);
            }
        }
    }
}
