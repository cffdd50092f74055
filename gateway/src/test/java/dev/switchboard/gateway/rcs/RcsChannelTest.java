package dev.switchboard.gateway.rcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.carrier.sms.Gsm7Codec;
import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.smpp.SmscSimulator;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.MessageRecords;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.RbmProvider;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which channel a message to an off-net peer takes: chosen per message from the peer's capability
 * or forced by the sender, one conversation per peer whatever the channel, and RCS limits refused
 * at the API before anything is stored.
 */
class RcsChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERVED = "+390617200001";
    /** Served, but no RCS provider serves it. */
    private static final String SMS_ONLY = "+390617200002";
    private static final Duration CAPABILITY_TTL = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");
    static final RbmProvider rbm = RbmProvider.start();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_CARRIERS", "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port()
                    + ",\"systemId\":\"switchboard\",\"password\":\"pw\",\"prefixes\":[\"+44\"]}]",
            "SWITCHBOARD_RCS_PROVIDERS", rbm.providersJson(List.of(SERVED), Map.of("capabilityTtl", "1h"))));

    private static Device device;
    private static Device smsOnlyDevice;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        smsOnlyDevice = gw.primary(SMS_ONLY);
        smsc.awaitBound(WAIT);
    }

    @AfterAll
    static void stop() {
        smsc.close();
        rbm.close();
    }

    @Test
    void conversationSwitchingFromSmsToRcsAndBackStaysOneConversation() throws Exception {
        String peer = "+447700900801";
        rbm.unreachable(peer);
        rbm.onSend(peer, ok());

        // 1. No RCS on the handset: SMS.
        SentMessage first = send(text(peer, "Are you there?"));
        Eventually.await("the first SMS", WAIT, () -> smsTo(peer).size() == 1);
        awaitStatus(first, "sent");
        assertEquals("sms", message(first).get("channel").asText());

        // 2. The handset gets RCS; once the cached answer expires the next message learns it: RCS.
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        gw.clock.advance(CAPABILITY_TTL.plusSeconds(1));
        SentMessage second = send(text(peer, "Now with RCS"));
        awaitStatus(second, "sent");
        assertEquals("rcs", message(second).get("channel").asText());
        assertEquals(1, rbm.sends(peer).size());
        assertEquals(new JsonObject().put("text", "Now with RCS"),
                new JsonObject(rbm.sends(peer).get(0).getBodyAsString()).getJsonObject("contentMessage"));

        // The peer answers over RCS.
        assertEquals(200, RbmProvider.deliver(gw, RbmProvider.userText(peer, "rbm-" + UUID.randomUUID(), "Got it on RCS")).status());
        Eventually.await("the RCS reply", WAIT, () -> incoming(first.conversationId()).size() == 1);

        // 3. RCS is gone again: SMS.
        rbm.unreachable(peer);
        gw.clock.advance(CAPABILITY_TTL.plusSeconds(1));
        SentMessage third = send(text(peer, "Back to SMS"));
        Eventually.await("the second SMS", WAIT, () -> smsTo(peer).size() == 2);
        awaitStatus(third, "sent");
        assertEquals("sms", message(third).get("channel").asText());

        // The peer answers by SMS.
        smsc.mobileOriginated(peer.substring(1), SERVED.substring(1), Gsm7Codec.encodeUnpacked("Got it on SMS"), (byte) 0);
        Eventually.await("the SMS reply", WAIT, () -> incoming(first.conversationId()).size() == 2);

        assertEquals(first.conversationId(), second.conversationId());
        assertEquals(first.conversationId(), third.conversationId());
        List<JsonNode> all = device.client().allMessages(first.conversationId());
        List<String> oldestFirst = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            JsonNode m = all.get(i);
            oldestFirst.add(m.get("direction").asText() + ":" + m.get("channel").asText() + ":" + m.get("text").asText());
        }
        assertEquals(List.of("out:sms:Are you there?", "out:rcs:Now with RCS", "in:rcs:Got it on RCS", "out:sms:Back to SMS",
                "in:sms:Got it on SMS"), oldestFirst);
        List<JsonNode> conversations = device.client().allConversations().stream()
                .filter(c -> c.get("peer").asText().equals(peer)).toList();
        assertEquals(1, conversations.size(), conversations.toString());
        assertEquals(first.conversationId(), conversations.get(0).get("id").asText());
        assertEquals("sms", conversations.get(0).get("channel").asText(), "the channel its latest traffic uses");

        assertEquals(List.of("Are you there?", "Back to SMS"), smsTo(peer).stream().map(RcsChannelTest::text).toList());
        assertEquals(1, rbm.sends(peer).size(), "only the second message went over RCS");
    }

    @Test
    void aFallbackShowsOnTheConversationAndAnRcsMessageFromThePeerMakesTheNextSendAskAgain() throws Exception {
        String peer = "+447700900809";
        rbm.unreachable(peer);
        rbm.onSend(peer, ok());
        SentMessage first = send(text(peer, "first"));
        awaitStatus(first, "sent");
        assertEquals("sms", device.client().conversationWith(peer).orElseThrow().get("channel").asText(),
                "queued for RCS, fell back: the conversation says SMS");
        assertEquals(1, rbm.capabilityChecks(peer).size());

        // The handset gets RCS and writes over it, well within the cached "unreachable" answer's lifetime.
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        assertEquals(200, RbmProvider.deliver(gw, RbmProvider.userText(peer, "rbm-" + UUID.randomUUID(), "hi over RCS")).status());
        Eventually.await("the RCS message", WAIT, () -> incoming(first.conversationId()).size() == 1);
        assertEquals("rcs", device.client().conversationWith(peer).orElseThrow().get("channel").asText());

        SentMessage second = send(text(peer, "second"));
        awaitStatus(second, "sent");
        assertEquals("rcs", message(second).get("channel").asText());
        assertEquals(2, rbm.capabilityChecks(peer).size(), "the stale answer was dropped, the provider asked again");
        assertEquals(1, smsTo(peer).size());
    }

    @Test
    void forcedSmsToAPeerKnownReachableOverRcsGoesSms() throws Exception {
        String peer = "+447700900802";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, ok());
        SentMessage auto = send(text(peer, "over RCS"));
        awaitStatus(auto, "sent");
        assertEquals("rcs", message(auto).get("channel").asText());

        ObjectNode body = text(peer, "over SMS, please");
        body.put("channel", "sms");
        SentMessage forced = send(body);
        assertEquals("sms", forced.channel());
        awaitStatus(forced, "sent");
        JsonNode m = message(forced);
        assertEquals("sms", m.get("channel").asText());
        assertEquals(List.of("sms:accepted"), attempts(m));
        assertEquals(List.of("over SMS, please"), smsTo(peer).stream().map(RcsChannelTest::text).toList());
        assertEquals(1, rbm.sends(peer).size(), "only the automatic message went over RCS");
        assertEquals(auto.conversationId(), forced.conversationId());
    }

    @Test
    void unknownChannelValueIsRefusedWith400() throws Exception {
        String peer = "+447700900803";
        HttpResult r = post(device, new JsonObject().put("to", peer).put("text", "hi").put("channel", "fax"));
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_field", r.error());
        assertTrue(r.json().getString("message").startsWith("channel:"), r.body());
        assertNothingStoredFor(peer);
    }

    @Test
    void contentBeyondRcsLimitsIsRefusedWith422NamingTheLimitAndNothingIsStored() throws Exception {
        String peer = "+447700900804";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, ok());

        assertRefused(peer, 422, "rcs_text_length", "text:", new JsonObject().put("text", "a".repeat(3073)));
        assertRefused(peer, 422, "rcs_text_length", "parts[1].text:", new JsonObject()
                .put("parts", new JsonArray().add(textPart("fine")).add(textPart("b".repeat(3073)))));
        assertRefused(peer, 422, "rcs_card_description_length", "parts[0].description:", new JsonObject()
                .put("parts", new JsonArray().add(card("Title").put("description", "d".repeat(2001)))));
        assertRefused(peer, 422, "rcs_card_description_length", "parts[0].cards[1].description:", new JsonObject()
                .put("parts", new JsonArray().add(new JsonObject().put("type", "carousel")
                        .put("cards", new JsonArray().add(card("One")).add(card("Two").put("description", "d".repeat(2001)))))));
        // The same, forced over RCS.
        assertRefused(peer, 422, "rcs_text_length", "text:", new JsonObject().put("text", "a".repeat(3073)).put("channel", "rcs"));
        assertNothingStoredFor(peer);
        assertEquals(0, rbm.capabilityChecks(peer).size(), "refused before anyone asked the provider");

        // Limits count characters as the provider does (code points): 3072 emoji are within the limit.
        SentMessage emoji = send(text(peer, "\uD83D\uDE00".repeat(3072)));
        assertEquals("rcs", emoji.channel());
        awaitStatus(emoji, "sent");
        assertEquals(1, rbm.sends(peer).size());
    }

    @Test
    void richContentBeyondRbmLimitsIsRefusedWith422NamingTheLimitAndNothingIsStored() throws Exception {
        String peer = "+447700900805";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        rbm.onSend(peer, ok());

        assertRefused(peer, 422, "rcs_card_title_length", "parts[0].title:",
                new JsonObject().put("parts", new JsonArray().add(card("t".repeat(201)))));
        assertRefused(peer, 422, "rcs_suggestions", "suggestions:", new JsonObject().put("text", "pick").put("suggestions", replies(12)));
        assertRefused(peer, 422, "rcs_card_suggestions", "parts[0].suggestions:",
                new JsonObject().put("parts", new JsonArray().add(card("Pick").put("suggestions", replies(5)))));
        assertRefused(peer, 422, "rcs_suggestion_text_length", "suggestions[0].text:",
                new JsonObject().put("text", "pick").put("suggestions", new JsonArray().add(reply("s".repeat(26)))));
        assertRefused(peer, 422, "rcs_carousel_cards", "parts[0].cards:", new JsonObject().put("parts", new JsonArray()
                .add(new JsonObject().put("type", "carousel").put("cards", new JsonArray().add(card("Lonely"))))));
        assertRefused(peer, 422, "rcs_postback_length", "suggestions[0].postbackData:", new JsonObject().put("text", "pick")
                .put("suggestions", new JsonArray().add(reply("ok").put("postbackData", "p".repeat(2049)))));
        assertNothingStoredFor(peer);
        assertEquals(0, rbm.capabilityChecks(peer).size(), "refused before anyone asked the provider");
    }

    /** Beyond what any channel carries, the rich-message model itself refuses the request: a 400 naming the field. */
    @Test
    void contentBeyondTheMessageModelIsRefusedWith400NamingTheField() throws Exception {
        String peer = "+447700900808";
        assertRefused(peer, 400, "invalid_field", "suggestions:", new JsonObject().put("text", "pick").put("suggestions", replies(21)));
        assertRefused(peer, 400, "invalid_field", "parts[0].title:",
                new JsonObject().put("parts", new JsonArray().add(card("t".repeat(256)))));
        assertNothingStoredFor(peer);
    }

    private static JsonArray replies(int n) {
        JsonArray out = new JsonArray();
        for (int i = 1; i <= n; i++) {
            out.add(reply("Option " + i));
        }
        return out;
    }

    @Test
    void rcsLimitsDoNotApplyToAMessageThatGoesSms() throws Exception {
        String peer = "+447700900807";
        rbm.unreachable(peer);
        String long3073 = "a".repeat(3073);

        ObjectNode forced = text(peer, long3073);
        forced.put("channel", "sms");
        SentMessage forcedSms = send(forced);
        assertEquals("sms", forcedSms.channel());
        awaitStatus(forcedSms, "sent");
        assertEquals(21, message(forcedSms).get("sms").get("segments").asInt());

        // Once the peer is known unreachable, an automatic message is bound for SMS and the RCS limits do not apply.
        SentMessage probe = send(text(peer, "short"));
        Eventually.await("the capability learnt", WAIT, () -> message(probe).get("channel").asText().equals("sms"));
        SentMessage auto = send(text(peer, long3073));
        assertEquals("sms", auto.channel());
        awaitStatus(auto, "sent");
        assertEquals(0, rbm.sends(peer).size());
    }

    @Test
    void forcedRcsFromANumberNoProviderServesIsRefusedWith422() throws Exception {
        String peer = "+447700900806";
        rbm.reachable(peer, RbmProvider.ALL_FEATURES);
        HttpResult r = post(smsOnlyDevice, new JsonObject().put("to", peer).put("text", "rcs please").put("channel", "rcs"));
        assertEquals(422, r.status(), r.body());
        assertEquals("rcs_unavailable", r.error());
        assertNothingStoredFor(peer);
        assertEquals(0, rbm.capabilityChecks(peer).size());

        // The same message on channel auto goes SMS.
        SentMessage auto = smsOnlyDevice.client().send(text(peer, "rcs please"), UUID.randomUUID().toString());
        assertEquals("sms", auto.channel());
        Eventually.await("the SMS", WAIT, () -> smsTo(peer).size() == 1);
        assertEquals(0, rbm.sends(peer).size());
    }

    // ---- helpers ----

    private static ResponseDefinitionBuilder ok() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}");
    }

    private static ObjectNode text(String peer, String text) {
        return JSON.createObjectNode().put("to", peer).put("text", text);
    }

    private static JsonObject textPart(String text) {
        return new JsonObject().put("type", "text").put("text", text);
    }

    private static JsonObject card(String title) {
        return new JsonObject().put("type", "richCard").put("title", title);
    }

    private static JsonObject reply(String text) {
        return new JsonObject().put("type", "reply").put("text", text).put("postbackData", text.toLowerCase());
    }

    private static SentMessage send(ObjectNode body) {
        return device.client().send(body, UUID.randomUUID().toString());
    }

    private static HttpResult post(Device sender, JsonObject body) throws Exception {
        return gw.request("POST", "/v1/messages", sender.token(), body.encode(),
                Map.of("Idempotency-Key", UUID.randomUUID().toString(), "Content-Type", "application/json"));
    }

    private static void assertRefused(String peer, int status, String error, String fieldPrefix, JsonObject content) throws Exception {
        HttpResult r = post(device, content.copy().put("to", peer));
        assertEquals(status, r.status(), r.body());
        assertEquals(error, r.error(), r.body());
        assertTrue(r.json().getString("message").startsWith(fieldPrefix), r.body());
    }

    /** No message, conversation or outbox row for the peer, and nothing went to the provider or the SMSC. */
    private static void assertNothingStoredFor(String peer) throws Exception {
        assertEquals(0, count("SELECT count(*) FROM messages WHERE to_number = ? OR from_number = ?", peer, peer));
        assertEquals(0, count("SELECT count(*) FROM conversations WHERE peer = ?", peer));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE peer = ?", peer));
        assertTrue(device.client().conversationWith(peer).isEmpty());
        assertEquals(0, rbm.sends(peer).size());
        assertEquals(0, smsTo(peer).size());
    }

    private static long count(String sql, String... args) throws Exception {
        try (Connection c = gw.jdbc(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static JsonNode message(SentMessage sent) {
        return MessageRecords.of(device, sent);
    }

    private static List<JsonNode> incoming(String conversationId) {
        return device.client().allMessages(conversationId).stream().filter(m -> m.get("direction").asText().equals("in")).toList();
    }

    private static void awaitStatus(SentMessage sent, String status) {
        MessageRecords.awaitStatus(device, sent, status, WAIT);
    }

    private static List<String> attempts(JsonNode m) {
        return MessageRecords.attempts(m);
    }

    private static List<SmscSimulator.Submitted> smsTo(String peer) {
        return smsc.submittedTo(peer);
    }

    private static String text(SmscSimulator.Submitted sms) {
        return sms.text();
    }
}
