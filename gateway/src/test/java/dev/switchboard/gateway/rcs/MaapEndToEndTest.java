package dev.switchboard.gateway.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SentMessage;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.MaapProviderSupport;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A number served through a GSMA MaaP chatbot platform: our messages in the MaaP shape, the
 * platform's (unsigned, allow-listed) webhooks end to end to the device's sync stream, and the
 * device's reads and typing back to the platform.
 */
class MaapEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERVED = "+390617200001";
    private static final String MESSAGES = MaapProviderSupport.ROOT + "/messages";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final MaapProviderSupport maap = MaapProviderSupport.start();

    /** The gateway listens on 127.0.0.1 only, so that is the address our webhook requests come from. */
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_RCS_PROVIDERS", maap.providersJson(List.of(SERVED), List.of("127.0.0.1"), Map.of())));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        maap.acceptMessages();
        maap.onStatus(WireMock.aResponse().withStatus(204));
    }

    @AfterAll
    static void stop() {
        maap.close();
    }

    private static String newId(String prefix) { return prefix + "-" + UUID.randomUUID(); }

    /** The clock stays still on purpose: arrival order must not depend on timestamps. */
    private static void delivered(JsonObject webhook) throws IOException, InterruptedException {
        HttpResult r = MaapProviderSupport.deliver(gw, webhook);
        assertEquals(200, r.status(), r.body());
    }

    private static SyncStream open(EventRecorder events) {
        return device.client().stream(CursorStore.inMemory(0), events);
    }

    private static Predicate<SyncEvent> createdFrom(String peer) {
        return e -> e.type().equals("message.created") && e.data().path("from").asText().equals(peer);
    }

    private static List<JsonNode> createdFrom(EventRecorder events, String peer) {
        return events.events().stream().filter(createdFrom(peer)).map(SyncEvent::data).toList();
    }

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

    private static JsonNode message(SentMessage sent) {
        return device.client().allMessages(sent.conversationId()).stream()
                .filter(m -> m.get("id").asText().equals(sent.id())).findFirst().orElseThrow();
    }

    @Test
    void textWithSuggestionsGoesToTheMaapMessagesEndpointInTheMaapShape() throws Exception {
        String peer = "+447700900801";
        maap.reachable(peer);
        ObjectNode body = MAPPER.createObjectNode().put("to", peer).put("text", "Quando passi a ritirare?");
        body.putArray("suggestions")
                .add(MAPPER.createObjectNode().put("type", "reply").put("text", "Domattina").put("postbackData", "slot:am"))
                .add(MAPPER.createObjectNode().put("type", "dial").put("text", "Chiamaci").put("phoneNumber", "+390612345678"))
                .add(MAPPER.createObjectNode().put("type", "openUrl").put("text", "Orari").put("url", "https://example.com/orari"))
                .add(MAPPER.createObjectNode().put("type", "showLocation").put("text", "Dove siamo")
                        .put("latitude", 45.4642).put("longitude", 9.19).put("label", "Negozio"));
        Instant now = gw.clock.instant();
        SentMessage sent = device.client().send(body, UUID.randomUUID().toString());
        assertEquals("rcs", sent.channel());
        Eventually.await("the platform got it", WAIT, () -> maap.sends(peer).size() == 1);

        JsonObject expected = new JsonObject()
                .put("RCSMessage", new JsonObject()
                        .put("msgId", sent.id())
                        .put("textMessage", "Quando passi a ritirare?")
                        .put("suggestedChipList", new JsonObject().put("suggestions", new JsonArray()
                                .add(new JsonObject().put("reply", new JsonObject().put("displayText", "Domattina")
                                        .put("postback", new JsonObject().put("data", "slot:am"))))
                                .add(new JsonObject().put("action", new JsonObject().put("displayText", "Chiamaci")
                                        .put("postback", new JsonObject().put("data", "Chiamaci"))
                                        .put("dialerAction", new JsonObject().put("dialPhoneNumber",
                                                new JsonObject().put("phoneNumber", "+390612345678")))))
                                .add(new JsonObject().put("action", new JsonObject().put("displayText", "Orari")
                                        .put("postback", new JsonObject().put("data", "Orari"))
                                        .put("urlAction", new JsonObject().put("openUrl",
                                                new JsonObject().put("url", "https://example.com/orari")))))
                                .add(new JsonObject().put("action", new JsonObject().put("displayText", "Dove siamo")
                                        .put("postback", new JsonObject().put("data", "Dove siamo"))
                                        .put("mapAction", new JsonObject().put("showLocation", new JsonObject().put("location",
                                                new JsonObject().put("latitude", 45.4642).put("longitude", 9.19)
                                                        .put("label", "Negozio"))))))))
                        // The default message TTL is one day from the hand-over.
                        .put("expiry", now.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString()))
                .put("messageContact", new JsonObject().put("userContact", peer));
        maap.wiremock().verify(1, postRequestedFor(urlPathEqualTo(MESSAGES))
                .withHeader("Authorization", equalTo("Bearer " + MaapProviderSupport.TOKEN))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson(expected.encode(), false, false)));
        assertEquals(1, maap.capabilityChecks(peer).size(), "the capability was asked once");

        Eventually.await("sent", WAIT, () -> message(sent).get("status").asText().equals("sent"));
        JsonNode m = message(sent);
        assertEquals("rcs", m.get("channel").asText());
        JsonNode attempt = m.get("attempts").get(0);
        assertEquals(MaapProviderSupport.ID, attempt.get("provider").asText(), m.toString());
        assertEquals("accepted", attempt.get("result").asText(), m.toString());
    }

    @Test
    void peerTextAndATappedSuggestionReachTheDeviceStream() throws Exception {
        String peer = "+447700900802";
        String textId = newId("maap-in");
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(events)) {
            delivered(MaapProviderSupport.text(peer, textId, "Avete la taglia M?"));
            JsonNode text = awaitCreated(events, peer, "Avete la taglia M?");
            assertEquals("in", text.get("direction").asText());
            assertEquals("rcs", text.get("channel").asText());
            assertEquals(SERVED, text.get("to").asText());

            delivered(MaapProviderSupport.replyTapped(peer, newId("maap-resp"), "Domattina", "slot:am"));
            JsonNode tapped = awaitCreated(events, peer, "Domattina");
            assertEquals("slot:am", tapped.get("inReplyTo").get("postbackData").asText(), tapped.toString());
            assertEquals("Domattina", tapped.get("inReplyTo").get("text").asText(), tapped.toString());
            assertEquals(text.get("conversationId").asText(), tapped.get("conversationId").asText());

            // The platform posts the text again (it did not see our 200): still one message.
            delivered(MaapProviderSupport.text(peer, textId, "Avete la taglia M?"));
            delivered(MaapProviderSupport.text(peer, newId("maap-in"), "Grazie"));
            awaitCreated(events, peer, "Grazie");
            assertEquals(List.of("Avete la taglia M?", "Domattina", "Grazie"),
                    createdFrom(events, peer).stream().map(m -> m.get("text").asText()).toList());
        }
    }

    @Test
    void deliveredAndDisplayedStatusesMoveOurMessagesTicks() throws Exception {
        String peer = "+447700900803";
        maap.reachable(peer);
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(events)) {
            SentMessage sent = device.client().send(peer, "Il pacco è in consegna", UUID.randomUUID().toString());
            assertEquals("rcs", sent.channel());
            events.await("sent", WAIT, r -> statusesOnStream(r, sent.id()).contains("sent"));

            delivered(MaapProviderSupport.status(peer, sent.id(), "delivered"));
            events.await("delivered", WAIT, r -> statusesOnStream(r, sent.id()).contains("delivered"));
            delivered(MaapProviderSupport.status(peer, sent.id(), "displayed"));
            events.await("read", WAIT, r -> statusesOnStream(r, sent.id()).contains("read"));
            assertEquals(List.of("queued", "sent", "delivered", "read"), statusesOnStream(events, sent.id()));
            assertEquals("read", message(sent).get("status").asText());
        }
    }

    @Test
    void isTypingShowsAsTypingOnTheDeviceAndIdleClearsIt() throws Exception {
        String peer = "+447700900804";
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(events)) {
            // The message comes through the stream, so the stream is live before the peer types.
            delivered(MaapProviderSupport.text(peer, newId("maap-in"), "Ci sei?"));
            String conversationId = awaitCreated(events, peer, "Ci sei?").get("conversationId").asText();

            delivered(MaapProviderSupport.typing(peer, "active"));
            events.await("typing", WAIT, r -> indexOfTyping(r, peer, true, 0) >= 0);
            int active = indexOfTyping(events, peer, true, 0);
            delivered(MaapProviderSupport.typing(peer, "idle"));
            events.await("typing stopped", WAIT, r -> indexOfTyping(r, peer, false, active + 1) >= 0);

            JsonNode started = events.typing().get(active);
            JsonNode stopped = events.typing().get(indexOfTyping(events, peer, false, active + 1));
            assertEquals(conversationId, started.path("conversationId").asText(), started.toString());
            assertEquals(conversationId, stopped.path("conversationId").asText(), stopped.toString());
            assertTrue(started.path("deviceId").isNull(), "the peer typed, not one of our devices: " + started);
        }
    }

    /** The position of the first typing frame of the peer in that state at or after {@code from}, or -1. */
    private static int indexOfTyping(EventRecorder events, String peer, boolean active, int from) {
        List<JsonNode> frames = events.typing();
        for (int i = from; i < frames.size(); i++) {
            if (frames.get(i).path("peer").asText().equals(peer) && frames.get(i).path("active").asBoolean() == active) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void readingTheConversationSendsDisplayedForThePeersMessage() throws Exception {
        String peer = "+447700900805";
        String theirId = newId("maap-in");
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(events)) {
            delivered(MaapProviderSupport.text(peer, theirId, "Letto?"));
            JsonNode in = awaitCreated(events, peer, "Letto?");
            device.client().markRead(in.get("conversationId").asText(), in.get("id").asText());
        }
        Eventually.await("displayed at the platform", WAIT, () -> maap.statusUpdates(theirId).size() == 1);
        maap.wiremock().verify(1, putRequestedFor(urlPathEqualTo(MESSAGES + "/" + theirId + "/status"))
                .withHeader("Authorization", equalTo("Bearer " + MaapProviderSupport.TOKEN))
                .withRequestBody(equalToJson("{\"RCSMessage\":{\"status\":\"displayed\"}}", false, false)));
    }

    @Test
    void typingOnADeviceSendsIsTypingToTheMaapPlatform() throws Exception {
        String peer = "+447700900806";
        maap.reachable(peer);
        SentMessage sent = device.client().send(peer, "Ti scrivo subito", UUID.randomUUID().toString());
        assertEquals("rcs", sent.channel());
        Eventually.await("the platform got the message", WAIT, () -> maap.sends(peer).size() == 1);

        device.client().typing(sent.conversationId(), true);
        Eventually.await("isTyping at the platform", WAIT, () -> maap.typingNotices(peer).size() == 1);
        maap.wiremock().verify(1, postRequestedFor(urlPathEqualTo(MESSAGES))
                .withRequestBody(equalToJson(new JsonObject()
                        .put("RCSMessage", new JsonObject().put("isTyping", "active"))
                        .put("messageContact", new JsonObject().put("userContact", peer)).encode(), false, false)));
    }

    @Test
    void aWebhookFromOutsideTheAllowedSourcesIsRefused403() throws Exception {
        String peer = "+447700900807";
        JsonObject webhook = MaapProviderSupport.text(peer, newId("maap-in"), "da fuori");
        try (TestGateway strict = TestGateway.start(Map.of("SWITCHBOARD_RCS_PROVIDERS",
                maap.providersJson(List.of("+390617200009"), List.of("10.9.9.9"), Map.of())))) {
            HttpResult r = MaapProviderSupport.deliver(strict, webhook);
            assertEquals(403, r.status(), r.body());
            assertEquals("source_not_allowed", r.error());
            try (var c = strict.jdbc(); var rs = c.createStatement().executeQuery("SELECT count(*) FROM rcs_webhook_events")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "nothing was queued");
            }
        }
        // The same request from an allowed source is taken: it was refused for where it came from.
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = open(events)) {
            delivered(webhook);
            awaitCreated(events, peer, "da fuori");
        }
        assertTrue(device.client().conversationWith(peer).isPresent());
    }
}
