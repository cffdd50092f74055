package dev.switchboard.gateway.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SentMessage;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.smpp.SmscSimulator;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.RbmProvider;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RBM webhooks as the provider posts them, with real HMAC-SHA512 signatures, followed end to end:
 * from {@code POST /hooks/rcs/rbm1} to the sync stream of the served number's device, and the
 * device's reads and typing back out to the provider as agent events.
 *
 * <p>Every test talks with its own peers, so the tests share one gateway and one served number (the
 * provider's first, where a peer nobody here talked with writes to) without seeing each other's messages.
 */
class RcsWebhookTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The provider's first number: a peer nobody here has talked with writes to it. */
    private static final String SERVED = "+390617190001";
    /** Also served by the provider; only the routing test talks from it. */
    private static final String SECOND = "+390617190002";
    private static final String HOOK = "/hooks/rcs/" + RbmProvider.ID;
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");
    static final RbmProvider rbm = RbmProvider.start();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_CARRIERS", "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port()
                    + ",\"systemId\":\"switchboard\",\"password\":\"pw\",\"prefixes\":[\"+44\"]}]",
            "SWITCHBOARD_RCS_PROVIDERS", rbm.providersJson(List.of(SERVED, SECOND), Map.of())));

    private static Device device;
    private static Device secondDevice;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        secondDevice = gw.primary(SECOND);
        smsc.awaitBound(WAIT);
    }

    @AfterAll
    static void stop() {
        smsc.close();
        rbm.close();
    }

    // ---- posting webhooks ----

    /** The clock stays still on purpose: arrival order must not depend on timestamps. */
    private static HttpResult post(String body, Map<String, String> headers) throws IOException, InterruptedException {
        return gw.request("POST", HOOK, null, body, headers);
    }

    private static HttpResult post(RbmProvider.Signed signed) throws IOException, InterruptedException {
        return post(signed.body(), signatureHeader(signed.signature()));
    }

    private static HttpResult deliver(JsonObject payload) throws IOException, InterruptedException {
        return post(RbmProvider.sign(payload));
    }

    private static void delivered(JsonObject payload) throws IOException, InterruptedException {
        HttpResult r = deliver(payload);
        assertEquals(200, r.status(), r.body());
    }

    private static Map<String, String> signatureHeader(String signature) {
        Map<String, String> h = new HashMap<>(JSON);
        h.put("X-Goog-Signature", signature);
        return h;
    }

    /** A Pub/Sub push envelope around raw {@code data}, as {@link RbmProvider#sign} builds it. */
    private static String envelope(String base64Data) {
        return new JsonObject().put("message", new JsonObject().put("data", base64Data)
                        .put("messageId", "ps-" + UUID.randomUUID()).put("publishTime", "2026-11-27T10:00:00Z"))
                .put("subscription", "projects/rbm/subscriptions/switchboard").encode();
    }

    private static String b64(byte[] bytes) { return Base64.getEncoder().encodeToString(bytes); }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String newId(String prefix) { return prefix + "-" + UUID.randomUUID(); }

    // ---- what the device sees ----

    private static SyncStream open(Device d, EventRecorder events) {
        return d.client().stream(CursorStore.inMemory(0), events);
    }

    private static Predicate<SyncEvent> createdFrom(String peer) {
        return e -> e.type().equals("message.created") && e.data().path("from").asText().equals(peer);
    }

    private static List<JsonNode> createdFrom(EventRecorder events, String peer) {
        return events.events().stream().filter(createdFrom(peer)).map(SyncEvent::data).toList();
    }

    private static List<String> textsFrom(EventRecorder events, String peer) {
        return createdFrom(events, peer).stream().map(m -> m.path("text").asText()).toList();
    }

    /** Waits until the stream carried a message from the peer with this text, and returns it. */
    private static JsonNode awaitCreated(EventRecorder events, String peer, String text) throws InterruptedException {
        events.await("'" + text + "' from " + peer + " on the stream", WAIT,
                r -> createdFrom(r, peer).stream().anyMatch(m -> m.path("text").asText().equals(text)));
        return createdFrom(events, peer).stream().filter(m -> m.path("text").asText().equals(text)).findFirst().orElseThrow();
    }

    private static List<String> statusesOnStream(EventRecorder events, String messageId) {
        return events.events().stream()
                .filter(e -> e.type().startsWith("message.") && e.data().path("id").asText().equals(messageId))
                .map(e -> e.data().path("status").asText()).toList();
    }

    private static Predicate<SyncEvent> conversationUpdated(String peer, boolean unsubscribed) {
        return e -> e.type().equals("conversation.updated") && e.data().path("peer").asText().equals(peer)
                && e.data().path("unsubscribed").asBoolean() == unsubscribed;
    }

    private static List<JsonNode> restMessages(Device d, String peer) {
        Optional<JsonNode> conversation = d.client().conversationWith(peer);
        return conversation.isEmpty() ? List.of() : d.client().allMessages(conversation.get().get("id").asText());
    }

    // ---- what the gateway stored ----

    private static long count(String sql, String... args) throws SQLException {
        try (Connection c = gw.jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Webhook events the gateway queued under this dedupe key ({@code msg:<messageId>} or {@code evt:<eventId>}). */
    private static long queued(String dedupeKey) throws SQLException {
        return count("SELECT count(*) FROM rcs_webhook_events WHERE provider = ? AND dedupe_key = ?", RbmProvider.ID, dedupeKey);
    }

    /** Inbox messages made from the provider's message id. */
    private static long stored(String providerMessageId) throws SQLException {
        return count("SELECT count(*) FROM messages WHERE carrier_ref = ?", "rcs:" + RbmProvider.ID + ":" + providerMessageId);
    }

    private static ResponseDefinitionBuilder okEmpty() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}");
    }

    // ---- the set-up handshake ----

    @Test
    void handshakeWithTheClientTokenIsAnsweredWithExactlyTheSecret() throws Exception {
        HttpResult r = post(new JsonObject().put("clientToken", RbmProvider.CLIENT_TOKEN).put("secret", "s3cr3t").encode(), JSON);
        assertEquals(200, r.status(), r.body());
        assertEquals("s3cr3t", r.body());
    }

    @Test
    void handshakeWithAnotherClientTokenIsRefusedWithoutTheSecret() throws Exception {
        HttpResult r = post(new JsonObject().put("clientToken", RbmProvider.CLIENT_TOKEN + "x").put("secret", "s3cr3t").encode(), JSON);
        assertEquals(403, r.status(), r.body());
        assertEquals("invalid_client_token", r.error());
        assertFalse(r.body().contains("s3cr3t"), r.body());
    }

    // ---- signatures ----

    @Test
    void signedUserTextIsAcceptedAndReachesTheDeviceStream() throws Exception {
        String peer = "+447700900701";
        String id = newId("rbm-text");
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            HttpResult r = deliver(RbmProvider.userText(peer, id, "Ciao! Siete aperti domenica? 🍕"));
            assertEquals(200, r.status(), r.body());

            JsonNode m = awaitCreated(events, peer, "Ciao! Siete aperti domenica? 🍕");
            assertEquals("in", m.get("direction").asText(), m.toString());
            assertEquals("rcs", m.get("channel").asText(), m.toString());
            assertEquals(SERVED, m.get("to").asText());
            // The stream and the REST API agree.
            JsonNode conversation = device.client().conversationWith(peer).orElseThrow();
            assertEquals(conversation.get("id").asText(), m.get("conversationId").asText());
            List<JsonNode> rest = restMessages(device, peer);
            assertEquals(1, rest.size(), rest.toString());
            assertEquals(m.get("id").asText(), rest.get(0).get("id").asText());
            assertEquals(1, stored(id));
        }
    }

    @Test
    void badOrMissingSignaturesAreRefused401AndNothingIsStored() throws Exception {
        String peer = "+447700900702";
        JsonObject otherKey = RbmProvider.userText(peer, newId("forged"), "signed with another key");
        RbmProvider.Signed genuine = RbmProvider.sign(otherKey);
        HttpResult r = post(genuine.body(), signatureHeader(RbmProvider.signature("not-" + RbmProvider.CLIENT_TOKEN,
                utf8(otherKey.encode()))));
        assertEquals(401, r.status(), r.body());
        assertEquals("invalid_signature", r.error());

        // The provider's own signature, but message.data changed after signing.
        String tamperedId = newId("tampered");
        RbmProvider.Signed original = RbmProvider.sign(RbmProvider.userText(peer, tamperedId, "pay 10 EUR"));
        JsonObject envelope = new JsonObject(original.body());
        envelope.getJsonObject("message").put("data", b64(utf8(RbmProvider.userText(peer, tamperedId, "pay 1000 EUR").encode())));
        r = post(envelope.encode(), signatureHeader(original.signature()));
        assertEquals(401, r.status(), r.body());
        assertEquals("invalid_signature", r.error());

        // A signature that is not even base64.
        JsonObject garbled = RbmProvider.userText(peer, newId("garbled"), "garbled signature");
        r = post(RbmProvider.sign(garbled).body(), signatureHeader("%%%not-base64%%%"));
        assertEquals(401, r.status(), r.body());
        assertEquals("invalid_signature", r.error());

        JsonObject unsigned = RbmProvider.userText(peer, newId("unsigned"), "no signature at all");
        r = post(RbmProvider.sign(unsigned).body(), JSON);
        assertEquals(401, r.status(), r.body());
        assertEquals("missing_signature", r.error());
        r = post(RbmProvider.sign(unsigned).body(), signatureHeader("  "));
        assertEquals(401, r.status(), r.body());
        assertEquals("missing_signature", r.error());

        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            delivered(RbmProvider.userText(peer, newId("genuine"), "the genuine one"));
            awaitCreated(events, peer, "the genuine one");
            assertEquals(List.of("the genuine one"), textsFrom(events, peer));
        }
        assertEquals(List.of("the genuine one"), restMessages(device, peer).stream().map(m -> m.get("text").asText()).toList());
        for (String id : List.of(otherKey.getString("messageId"), tamperedId, garbled.getString("messageId"), unsigned.getString("messageId"))) {
            assertEquals(0, queued("msg:" + id), id);
            assertEquals(0, stored(id), id);
        }
    }

    @Test
    void aReplayedRequestAndTheSameMessageIdInANewEnvelopeGiveExactlyOneMessage() throws Exception {
        String peer = "+447700900703";
        String id = newId("replayed");
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            RbmProvider.Signed signed = RbmProvider.sign(RbmProvider.userText(peer, id, "only once"));
            HttpResult first = post(signed);
            HttpResult replay = post(signed);
            assertEquals(200, first.status(), first.body());
            assertEquals(200, replay.status(), replay.body());
            awaitCreated(events, peer, "only once");

            // The provider delivers the same message again later: a new Pub/Sub envelope, signed anew.
            HttpResult redelivered = deliver(RbmProvider.userText(peer, id, "only once").put("sendTime", "2026-11-27T10:00:07.000Z"));
            assertEquals(200, redelivered.status(), redelivered.body());
            post(signed);

            delivered(RbmProvider.userText(peer, newId("after"), "after the replays"));
            awaitCreated(events, peer, "after the replays");
            assertEquals(List.of("only once", "after the replays"), textsFrom(events, peer));
        }
        assertEquals(1, stored(id));
        assertEquals(1, queued("msg:" + id));
        assertEquals(2, restMessages(device, peer).size());
    }

    // ---- every kind of user message ----

    @Test
    void userFileIsDownloadedIntoMediaStorageAndTheDeviceGetsTheSameBytes() throws Exception {
        String peer = "+447700900704";
        byte[] bytes = new byte[180_000];
        new Random(4).nextBytes(bytes);
        String path = "/rbm-files/" + UUID.randomUUID() + "/scontrino.png";
        rbm.wiremock().stubFor(get(urlPathEqualTo(path))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/png").withBody(bytes)));
        JsonObject payload = RbmProvider.userMessage(peer, newId("file")).put("userFile", new JsonObject()
                .put("category", "IMAGE")
                .put("thumbnail", new JsonObject().put("mimeType", "image/jpeg").put("fileSizeBytes", 1234)
                        .put("fileUri", rbm.baseUrl() + "/rbm-files/thumbnails/never-fetched.jpg"))
                .put("payload", new JsonObject().put("mimeType", "image/png").put("fileSizeBytes", bytes.length)
                        .put("fileName", "scontrino.png").put("fileUri", rbm.baseUrl() + path)));

        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            delivered(payload);
            events.await("the file message on the stream", WAIT, r -> createdFrom(r, peer).size() == 1);
            JsonNode m = createdFrom(events, peer).get(0);
            assertEquals(1, m.get("parts").size(), m.toString());
            JsonNode part = m.get("parts").get(0);
            assertEquals("media", part.get("type").asText(), m.toString());
            assertEquals("image/png", part.get("contentType").asText());
            assertEquals("scontrino.png", part.get("fileName").asText());
            assertEquals(bytes.length, part.get("size").asLong());
            assertArrayEquals(bytes, device.client().downloadMedia(part.get("mediaId").asText()));
        }
        assertEquals(1, rbm.requests("GET", path).size(), "fetched once");
        assertEquals(0, rbm.requests("GET", "/rbm-files/thumbnails/never-fetched.jpg").size());
    }

    @Test
    void userLocationArrivesAsALocationPartWithTheCoordinates() throws Exception {
        String peer = "+447700900705";
        JsonObject payload = RbmProvider.userMessage(peer, newId("location"))
                .put("location", new JsonObject().put("latitude", 45.464211).put("longitude", 9.191383));
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            delivered(payload);
            events.await("the location on the stream", WAIT, r -> createdFrom(r, peer).size() == 1);
            JsonNode m = createdFrom(events, peer).get(0);
            assertEquals("rcs", m.get("channel").asText());
            assertEquals(1, m.get("parts").size(), m.toString());
            JsonNode part = m.get("parts").get(0);
            assertEquals("location", part.get("type").asText(), m.toString());
            assertEquals(45.464211, part.get("latitude").asDouble());
            assertEquals(9.191383, part.get("longitude").asDouble());
        }
    }

    @Test
    void suggestionResponseShowsTheChosenSuggestionTextWithItsPostbackData() throws Exception {
        String peer = "+447700900706";
        JsonObject payload = RbmProvider.userMessage(peer, newId("suggestion")).put("suggestionResponse", new JsonObject()
                .put("postbackData", "slot:2026-11-28T09:00").put("text", "Sabato 9:00").put("type", "REPLY"));
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            delivered(payload);
            JsonNode m = awaitCreated(events, peer, "Sabato 9:00");
            assertEquals("slot:2026-11-28T09:00", m.get("inReplyTo").get("postbackData").asText(), m.toString());
            assertEquals("Sabato 9:00", m.get("inReplyTo").get("text").asText(), m.toString());
        }
        JsonNode rest = restMessages(device, peer).get(0);
        assertEquals("Sabato 9:00", rest.get("text").asText());
        assertEquals("slot:2026-11-28T09:00", rest.get("inReplyTo").get("postbackData").asText());
    }

    // ---- user events ----

    @Test
    void deliveredAndReadEventsMoveOurMessagesTicksOnTheStream() throws Exception {
        String peer = "+447700900707";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, okEmpty());
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            SentMessage sent = device.client().send(peer, "Il tavolo è pronto", UUID.randomUUID().toString());
            assertEquals("rcs", sent.channel());
            // A receipt names the id we sent under, which is known once the provider took the message.
            events.await("sent", WAIT, r -> statusesOnStream(r, sent.id()).contains("sent"));

            delivered(RbmProvider.userEvent(peer, "DELIVERED", newId("ev"), sent.id()));
            events.await("delivered on the stream", WAIT, r -> statusesOnStream(r, sent.id()).contains("delivered"));
            delivered(RbmProvider.userEvent(peer, "READ", newId("ev"), sent.id()));
            events.await("read on the stream", WAIT, r -> statusesOnStream(r, sent.id()).contains("read"));
            assertEquals(List.of("queued", "sent", "delivered", "read"), statusesOnStream(events, sent.id()));

            // A late DELIVERED cannot move the ticks back.
            delivered(RbmProvider.userEvent(peer, "DELIVERED", newId("ev-late"), sent.id()));
            delivered(RbmProvider.userText(peer, newId("after"), "grazie"));
            awaitCreated(events, peer, "grazie");
            assertEquals(List.of("queued", "sent", "delivered", "read"), statusesOnStream(events, sent.id()));
            JsonNode m = device.client().allMessages(sent.conversationId()).stream()
                    .filter(x -> x.get("id").asText().equals(sent.id())).findFirst().orElseThrow();
            assertEquals("read", m.get("status").asText(), m.toString());
        }
    }

    @Test
    void isTypingShowsAsATypingFrameInThePeersConversation() throws Exception {
        String peer = "+447700900708";
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            delivered(RbmProvider.userText(peer, newId("text"), "Un attimo che controllo"));
            String conversationId = awaitCreated(events, peer, "Un attimo che controllo").get("conversationId").asText();
            long seq = events.events().get(events.events().size() - 1).seq();

            delivered(RbmProvider.userEvent(peer, "IS_TYPING", newId("typing"), null));
            events.await("the peer typing", WAIT, r -> r.typing().stream().anyMatch(t -> t.path("peer").asText().equals(peer)
                    && t.path("active").asBoolean()));
            JsonNode frame = events.typing().stream().filter(t -> t.path("peer").asText().equals(peer) && t.path("active").asBoolean())
                    .findFirst().orElseThrow();
            assertEquals(conversationId, frame.get("conversationId").asText(), frame.toString());
            assertTrue(frame.get("deviceId").isNull(), "the peer typed, not one of our devices: " + frame);
            // Typing is ephemeral: nothing about the peer entered the number's sync log.
            assertTrue(device.client().sync(seq, 200).events().stream().noneMatch(e -> e.data().path("peer").asText().equals(peer)
                    || e.data().path("from").asText().equals(peer)), "typing is not a sync event");
        }
    }

    @Test
    void unsubscribeIsRecordedOnTheConversationAndRefusesSendsUntilThePeerSubscribesAgain() throws Exception {
        String peer = "+447700900709";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, okEmpty());
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            // The handset sends both: the UNSUBSCRIBE event and a "STOP" text.
            delivered(RbmProvider.userEvent(peer, "UNSUBSCRIBE", newId("unsub"), null));
            delivered(RbmProvider.userText(peer, newId("stop"), "STOP"));
            events.await("conversation.updated (unsubscribed)", WAIT, r -> r.count(conversationUpdated(peer, true)) == 1);
            JsonNode stop = awaitCreated(events, peer, "STOP");

            JsonNode conversation = device.client().conversationWith(peer).orElseThrow();
            assertTrue(conversation.get("unsubscribed").asBoolean(), conversation.toString());
            assertEquals(conversation.get("id").asText(), stop.get("conversationId").asText(), "one conversation");
            SyncEvent updated = events.events().stream().filter(conversationUpdated(peer, true)).findFirst().orElseThrow();
            assertEquals(conversation.get("id").asText(), updated.data().get("conversationId").asText());

            HttpResult refused = gw.request("POST", "/v1/messages", device.token(),
                    new JsonObject().put("to", peer).put("text", "Ultima offerta!").encode(),
                    Map.of("Idempotency-Key", UUID.randomUUID().toString(), "Content-Type", "application/json"));
            assertEquals(409, refused.status(), refused.body());
            assertEquals("peer_unsubscribed", refused.error());

            // A repeated UNSUBSCRIBE changes nothing; SUBSCRIBE lifts it.
            delivered(RbmProvider.userEvent(peer, "UNSUBSCRIBE", newId("unsub-again"), null));
            delivered(RbmProvider.userEvent(peer, "SUBSCRIBE", newId("sub"), null));
            events.await("conversation.updated (subscribed)", WAIT, r -> r.count(conversationUpdated(peer, false)) == 1);
            assertEquals(1, events.count(conversationUpdated(peer, true)), "the repeated UNSUBSCRIBE emitted nothing");
            assertFalse(device.client().conversationWith(peer).orElseThrow().get("unsubscribed").asBoolean());

            SentMessage sent = device.client().send(peer, "Bentornato!", UUID.randomUUID().toString());
            assertEquals("rcs", sent.channel());
            assertEquals(conversation.get("id").asText(), sent.conversationId());
            Eventually.await("the provider got it", WAIT, () -> rbm.sends(peer).size() == 1);
            assertEquals("Bentornato!", new JsonObject(rbm.sends(peer).get(0).getBodyAsString())
                    .getJsonObject("contentMessage").getString("text"));
        }
    }

    // ---- the device's reads and typing, out to the provider ----

    @Test
    void readingAnRcsConversationSendsTheProviderReadForThePeersMessageId() throws Exception {
        String peer = "+447700900710";
        rbm.onAgentEvent(peer, okEmpty());
        String theirFirst = newId("MxRbmFirst");
        String theirSecond = newId("MxRbmSecond");
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            delivered(RbmProvider.userText(peer, theirFirst, "Mi richiami?"));
            JsonNode first = awaitCreated(events, peer, "Mi richiami?");
            String conversationId = first.get("conversationId").asText();
            device.client().markRead(conversationId, first.get("id").asText());
            Eventually.await("READ at the provider", WAIT, () -> rbm.agentEvents(peer).size() == 1);

            rbm.wiremock().verify(1, postRequestedFor(urlPathEqualTo(RbmProvider.phonePath(peer) + "/agentEvents"))
                    .withQueryParam("agentId", equalTo(RbmProvider.AGENT))
                    .withQueryParam("eventId", matching(".+"))
                    .withHeader("Authorization", equalTo("Bearer " + RbmProvider.TOKEN))
                    .withRequestBody(equalToJson(new JsonObject().put("eventType", "READ").put("messageId", theirFirst).encode(),
                            false, false)));

            // Reading again owes nothing new; the next message read gets its own READ.
            device.client().markRead(conversationId, first.get("id").asText());
            delivered(RbmProvider.userText(peer, theirSecond, "Sono le 18"));
            JsonNode second = awaitCreated(events, peer, "Sono le 18");
            device.client().markRead(conversationId, second.get("id").asText());
            Eventually.await("the second READ at the provider", WAIT, () -> rbm.agentEvents(peer).size() >= 2);
        }
        List<String> read = rbm.agentEvents(peer).stream().map(r -> new JsonObject(r.getBodyAsString()).getString("messageId")).toList();
        assertEquals(List.of(theirFirst, theirSecond), read);
        List<String> eventIds = rbm.agentEvents(peer).stream().map(r -> r.queryParameter("eventId").firstValue()).toList();
        assertNotEquals(eventIds.get(0), eventIds.get(1));
    }

    @Test
    void typingOnADeviceReachesAnRcsPeerAsIsTyping() throws Exception {
        String peer = "+447700900711";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, okEmpty());
        rbm.onAgentEvent(peer, okEmpty());
        // The first message learns (and caches) that RCS reaches the peer.
        SentMessage sent = device.client().send(peer, "Ti scrivo tra poco", UUID.randomUUID().toString());
        assertEquals("rcs", sent.channel());
        Eventually.await("the provider got the message", WAIT, () -> rbm.sends(peer).size() == 1);

        device.client().typing(sent.conversationId(), true);
        Eventually.await("IS_TYPING at the provider", WAIT, () -> rbm.agentEvents(peer).size() == 1);
        rbm.wiremock().verify(1, postRequestedFor(urlPathEqualTo(RbmProvider.phonePath(peer) + "/agentEvents"))
                .withQueryParam("agentId", equalTo(RbmProvider.AGENT))
                .withQueryParam("eventId", matching(".+"))
                .withHeader("Authorization", equalTo("Bearer " + RbmProvider.TOKEN))
                .withRequestBody(equalToJson("{\"eventType\":\"IS_TYPING\"}", false, false)));
    }

    // ---- bad input ----

    @Test
    void badInputIsRefusedClearlyAndEveryValidMessageArrivesOnceAndInOrder() throws Exception {
        String peer = "+447700900712";
        List<String> sent = new ArrayList<>();
        List<String> ignoredKeys = new ArrayList<>();
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            sendValid(peer, "uno", sent);

            HttpResult r = post("{\"message\": {\"data\": \"eyJ9\", ", JSON);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_json", r.error());
            sendValid(peer, "due", sent);

            r = post(envelope("%%% not base64 %%%"), signatureHeader(RbmProvider.signature(RbmProvider.CLIENT_TOKEN, utf8("x"))));
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_base64", r.error());
            sendValid(peer, "tre", sent);

            // Correctly signed, but what was signed is not JSON.
            byte[] notJson = utf8("senderPhoneNumber=" + peer + "&text=ciao");
            r = post(envelope(b64(notJson)), signatureHeader(RbmProvider.signature(RbmProvider.CLIENT_TOKEN, notJson)));
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_json", r.error());
            sendValid(peer, "quattro", sent);

            // 1.5 MiB, over the default http.maxBodyBytes of 1 MiB, correctly signed.
            JsonObject huge = RbmProvider.userText(peer, newId("huge"), "x".repeat(1_572_864));
            r = post(RbmProvider.sign(huge));
            assertEquals(413, r.status(), r.body());
            ignoredKeys.add("msg:" + huge.getString("messageId"));
            sendValid(peer, "cinque", sent);

            // Well-formed and signed, but of a type we do not know: accepted so the provider does not retry, and ignored.
            String unknownEvent = newId("ev-unknown");
            r = deliver(RbmProvider.userEvent(peer, "CHATBOT_TELEPORTED", unknownEvent, null));
            assertEquals(200, r.status(), r.body());
            ignoredKeys.add("evt:" + unknownEvent);
            sendValid(peer, "sei", sent);

            JsonObject unknownKind = RbmProvider.userMessage(peer, newId("unknown-kind"))
                    .put("hologram", new JsonObject().put("frames", 24));
            r = deliver(unknownKind);
            assertEquals(200, r.status(), r.body());
            ignoredKeys.add("msg:" + unknownKind.getString("messageId"));
            sendValid(peer, "sette", sent);

            r = post(new JsonObject().put("message", new JsonObject().put("messageId", "ps-1")).encode(), signatureHeader("eA=="));
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_envelope", r.error());
            r = post("[1, 2, 3]", JSON);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_json", r.error());
            r = post("", JSON);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_json", r.error());
            sendValid(peer, "otto", sent);

            // Signed and JSON, but without the sender.
            JsonObject noSender = RbmProvider.userText(peer, newId("no-sender"), "chi sono?");
            noSender.remove("senderPhoneNumber");
            r = deliver(noSender);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_event", r.error());
            ignoredKeys.add("msg:" + noSender.getString("messageId"));
            JsonObject wrongType = RbmProvider.userMessage(peer, newId("wrong-type"))
                    .put("location", new JsonObject().put("latitude", "north").put("longitude", 9.19));
            r = deliver(wrongType);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_event", r.error());
            ignoredKeys.add("msg:" + wrongType.getString("messageId"));
            sendValid(peer, "nove", sent);

            events.await("every valid message", WAIT, rec -> createdFrom(rec, peer).size() >= sent.size());
            assertEquals(sent, textsFrom(events, peer), "each valid message once, in the order sent");
        }
        List<String> rest = new ArrayList<>(restMessages(device, peer).stream().map(m -> m.get("text").asText()).toList());
        java.util.Collections.reverse(rest);
        assertEquals(sent, rest);
        for (String key : ignoredKeys) {
            assertEquals(0, queued(key), key);
        }
        assertEquals(200, gw.get("/health/ready", null).status());
    }

    @Test
    void aBurstOfMessagesFromOnePeerIsShownInTheOrderTheProviderPostedThem() throws Exception {
        // Posted faster than they are applied, so the gateway takes many of them in one batch.
        String peer = "+447700900716";
        List<String> sent = new ArrayList<>();
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(device, events)) {
            for (int i = 1; i <= 60; i++) {
                sendValid(peer, String.format("parte %02d", i), sent);
            }
            events.await("the whole burst", WAIT, rec -> createdFrom(rec, peer).size() >= sent.size());
            assertEquals(sent, textsFrom(events, peer));
        }
    }

    private static void sendValid(String peer, String text, List<String> sent) throws IOException, InterruptedException {
        delivered(RbmProvider.userText(peer, newId("valid"), text));
        sent.add(text);
    }

    @Test
    void aWebhookForAnUnknownProviderIs404() throws Exception {
        RbmProvider.Signed signed = RbmProvider.sign(RbmProvider.userText("+447700900713", newId("lost"), "anyone?"));
        HttpResult r = gw.request("POST", "/hooks/rcs/nobody", null, signed.body(), signatureHeader(signed.signature()));
        assertEquals(404, r.status(), r.body());
        assertEquals("unknown_provider", r.error());
    }

    // ---- which served number a peer writes to ----

    @Test
    void aPeersMessageGoesToTheServedNumberThatLastTalkedWithItElseToTheProvidersFirstNumber() throws Exception {
        String stranger = "+447700900714";
        String known = "+447700900715";
        rbm.reachable(known, RbmProvider.ALL_FEATURES);
        rbm.onSend(known, okEmpty());

        // Nobody here has talked with the stranger: the provider's first number gets it.
        delivered(RbmProvider.userText(stranger, newId("stranger"), "chi è?"));
        Eventually.await("the stranger's message at the first number", WAIT, () -> restMessages(device, stranger).size() == 1);
        assertTrue(secondDevice.client().conversationWith(stranger).isEmpty());

        // The second number wrote to the peer, so the peer's answer goes there.
        secondDevice.client().send(known, "Il pacco è arrivato", UUID.randomUUID().toString());
        Eventually.await("sent to the provider", WAIT, () -> rbm.sends(known).size() == 1);
        delivered(RbmProvider.userText(known, newId("to-second"), "Passo alle 5"));
        Eventually.await("the answer at the second number", WAIT, () -> restMessages(secondDevice, known).size() == 2);
        assertTrue(device.client().conversationWith(known).isEmpty(), "nothing at the first number");

        // Later the first number writes to the peer too: now it is the one the peer last talked with.
        gw.clock.advance(Duration.ofMinutes(1));
        device.client().send(known, "Sono il negozio: confermi?", UUID.randomUUID().toString());
        Eventually.await("sent to the provider", WAIT, () -> rbm.sends(known).size() == 2);
        delivered(RbmProvider.userText(known, newId("to-first"), "Confermo"));
        Eventually.await("the answer at the first number", WAIT, () -> restMessages(device, known).size() == 2);
        assertEquals("Confermo", restMessages(device, known).get(0).get("text").asText());
        assertEquals(2, restMessages(secondDevice, known).size(), "nothing more at the second number");
    }
}
