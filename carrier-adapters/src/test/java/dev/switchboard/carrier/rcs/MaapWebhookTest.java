package dev.switchboard.carrier.rcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MaaP webhooks: the source allow-list, then every event the chatbot API defines. */
class MaapWebhookTest {
    private static final String USER = "+33612345678";
    private static final String SOURCE = "198.51.100.7";

    private final MaapWebhook open = new MaapWebhook("maap-fr", List.of());

    private static JsonObject request(String event, JsonObject rcsMessage) {
        return new JsonObject().put("event", event).put("RCSMessage", rcsMessage)
                .put("messageContact", new JsonObject().put("userContact", USER).put("chatId", "chat-1"));
    }

    private static JsonObject rcs(String msgId) {
        return new JsonObject().put("msgId", msgId).put("timestamp", "2024-05-01T10:00:00.000Z");
    }

    private WebhookResult read(JsonObject request) {
        return open.read(SOURCE, request.toBuffer());
    }

    private static RcsInbound only(WebhookResult result) {
        List<RcsInbound> events = assertInstanceOf(WebhookResult.Events.class, result).events();
        assertEquals(1, events.size(), events::toString);
        return events.get(0);
    }

    private static void ignored(WebhookResult result) {
        assertEquals(new WebhookResult.Events(List.of()), result);
    }

    private static WebhookResult.Rejected rejected(WebhookResult result, int status, String error) {
        WebhookResult.Rejected rejected = assertInstanceOf(WebhookResult.Rejected.class, result);
        assertEquals(status, rejected.status(), rejected::toString);
        assertEquals(error, rejected.error(), rejected::toString);
        return rejected;
    }

    private static Buffer text() {
        return request("message", rcs("m-1").put("textMessage", "Bonjour")).toBuffer();
    }

    @Test
    void listedSourceAddressIsAccepted() {
        MaapWebhook webhook = new MaapWebhook("maap-fr", List.of("203.0.113.9", SOURCE));
        assertInstanceOf(WebhookResult.Events.class, webhook.read(SOURCE, text()));
    }

    @Test
    void unlistedSourceAddressIsRejectedWith403BeforeTheBodyIsRead() {
        MaapWebhook webhook = new MaapWebhook("maap-fr", List.of("203.0.113.9"));
        rejected(webhook.read(SOURCE, text()), 403, "source_not_allowed");
        rejected(webhook.read(SOURCE, Buffer.buffer("not json")), 403, "source_not_allowed");
        rejected(webhook.read(null, text()), 403, "source_not_allowed");
    }

    @Test
    void sourceInsideAnIpv4CidrBlockIsAccepted() {
        MaapWebhook webhook = new MaapWebhook("maap-fr", List.of("10.0.0.0/8", "198.51.100.0/24"));
        assertInstanceOf(WebhookResult.Events.class, webhook.read("10.200.3.4", text()));
        assertInstanceOf(WebhookResult.Events.class, webhook.read("198.51.100.255", text()));
        assertInstanceOf(WebhookResult.Events.class, webhook.read("::ffff:10.1.2.3", text()));
    }

    @Test
    void sourceOutsideEveryCidrBlockIsRejected() {
        MaapWebhook webhook = new MaapWebhook("maap-fr", List.of("10.0.0.0/8", "198.51.100.0/24"));
        rejected(webhook.read("11.0.0.1", text()), 403, "source_not_allowed");
        rejected(webhook.read("198.51.101.1", text()), 403, "source_not_allowed");
        rejected(webhook.read("2001:db8::1", text()), 403, "source_not_allowed");
        rejected(webhook.read("10.0.0.256", text()), 403, "source_not_allowed");
    }

    @Test
    void exactIpv6EntryMatchesTheSameString() {
        MaapWebhook webhook = new MaapWebhook("maap-fr", List.of("2001:db8::1"));
        assertInstanceOf(WebhookResult.Events.class, webhook.read("2001:db8::1", text()));
    }

    @Test
    void anEmptyAllowListAcceptsAnySource() {
        assertInstanceOf(WebhookResult.Events.class, open.read("192.0.2.1", text()));
        assertInstanceOf(WebhookResult.Events.class, open.read(null, text()));
    }

    @Test
    void aMalformedCidrEntryIsRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new MaapWebhook("maap-fr", List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new MaapWebhook("maap-fr", List.of("example.com/8")));
    }

    @Test
    void textMessageBecomesAUserMessage() {
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class, only(open.read(SOURCE, text())));
        assertEquals(new RcsInbound.UserMessage("msg:m-1", USER, "m-1", "2024-05-01T10:00:00.000Z", new RcsInbound.Text("Bonjour")), m);
    }

    @Test
    void fileMessageBecomesAFile() {
        JsonObject file = new JsonObject().put("fileUrl", "https://maap.example/files/1").put("fileMIMEType", "image/png")
                .put("fileSize", 2048).put("fileName", "map.png");
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class,
                only(read(request("message", rcs("m-2").put("fileMessage", file)))));
        assertEquals(new RcsInbound.File("https://maap.example/files/1", "image/png", 2048, "map.png"), m.content());
        assertEquals("msg:m-2", m.dedupeKey());
    }

    @Test
    void geolocationPushBecomesALocation() {
        JsonObject geo = new JsonObject().put("latitude", 48.8566).put("longitude", 2.3522);
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class,
                only(read(request("message", rcs("m-3").put("geolocationPushMessage", geo)))));
        assertEquals(new RcsInbound.Location(48.8566, 2.3522), m.content());
    }

    @Test
    void messageOfAnUnknownKindIsIgnored() {
        ignored(read(request("message", rcs("m-4").put("audioMessage", new JsonObject()))));
    }

    @Test
    void responseCarriesThePostbackDataAndDisplayText() {
        JsonObject suggested = new JsonObject().put("response", new JsonObject().put("reply",
                new JsonObject().put("displayText", "Oui").put("postback", new JsonObject().put("data", "order:42:yes"))));
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class,
                only(read(request("response", rcs("m-5").put("suggestedResponse", suggested)))));
        assertEquals(new RcsInbound.UserMessage("msg:m-5", USER, "m-5", "2024-05-01T10:00:00.000Z",
                new RcsInbound.SuggestionResponse("order:42:yes", "Oui")), m);
    }

    @Test
    void tappedActionIsReadLikeAReply() {
        JsonObject suggested = new JsonObject().put("response", new JsonObject().put("action",
                new JsonObject().put("displayText", "Call us").put("postback", new JsonObject().put("data", "dial:1"))));
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class,
                only(read(request("response", rcs("m-6").put("suggestedResponse", suggested)))));
        assertEquals(new RcsInbound.SuggestionResponse("dial:1", "Call us"), m.content());
    }

    @Test
    void responseWithoutAReplyIsAnInvalidEvent() {
        JsonObject suggested = new JsonObject().put("response", new JsonObject());
        assertTrue(rejected(read(request("response", rcs("m-7").put("suggestedResponse", suggested))), 400, "invalid_event")
                .message().contains("suggestedResponse.response"));
    }

    @Test
    void typingActiveAndIdleBecomeTypingEvents() {
        RcsInbound.UserEvent active = assertInstanceOf(RcsInbound.UserEvent.class,
                only(read(request("isTyping", rcs("t-1").put("isTyping", "active")))));
        assertEquals(new RcsInbound.UserEvent("typ:t-1", USER, RcsInbound.EventType.IS_TYPING, "t-1", null,
                "2024-05-01T10:00:00.000Z"), active);
        RcsInbound.UserEvent idle = assertInstanceOf(RcsInbound.UserEvent.class,
                only(read(request("isTyping", rcs("t-2").put("isTyping", "idle")))));
        assertEquals(RcsInbound.EventType.TYPING_STOPPED, idle.type());
        assertEquals("typ:t-2", idle.dedupeKey());
    }

    @Test
    void typingWithoutMsgIdGetsAFreshDedupeKeyEachTime() {
        JsonObject typing = request("isTyping", new JsonObject().put("isTyping", "active"));
        RcsInbound first = only(read(typing));
        RcsInbound second = only(read(typing));
        assertTrue(first.dedupeKey().startsWith("typ:"), first.dedupeKey());
        assertNotEquals(first.dedupeKey(), second.dedupeKey());
    }

    @Test
    void typingInAnUnknownStateIsIgnored() {
        ignored(read(request("isTyping", rcs("t-3").put("isTyping", "recording"))));
    }

    @Test
    void deliveredAndDisplayedStatusesBecomeDeliveredAndRead() {
        RcsInbound.UserEvent delivered = assertInstanceOf(RcsInbound.UserEvent.class,
                only(read(request("messageStatus", rcs("our-9").put("status", "delivered")))));
        assertEquals(RcsInbound.EventType.DELIVERED, delivered.type());
        assertEquals("our-9", delivered.messageId());
        assertEquals("evt:our-9:delivered", delivered.dedupeKey());
        assertEquals(USER, delivered.sender());
        RcsInbound.UserEvent read = assertInstanceOf(RcsInbound.UserEvent.class,
                only(read(request("messageStatus", rcs("our-9").put("status", "displayed")))));
        assertEquals(RcsInbound.EventType.READ, read.type());
        assertEquals("evt:our-9:displayed", read.dedupeKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"failed", "cancelled", "sent"})
    void otherStatusesAreIgnored(String status) {
        ignored(read(request("messageStatus", rcs("our-9").put("status", status))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fileStatus", "alias", "newUser", "somethingNew"})
    void eventsWeDoNotActOnAreIgnored(String event) {
        ignored(read(request(event, new JsonObject())));
    }

    @Test
    void replayedRequestGivesTheSameDedupeKey() {
        assertEquals(only(open.read(SOURCE, text())).dedupeKey(), only(open.read(SOURCE, text())).dedupeKey());
    }

    @Test
    void malformedJsonIsRejectedWith400() {
        rejected(open.read(SOURCE, Buffer.buffer("{\"event\": ")), 400, "invalid_json");
        rejected(open.read(SOURCE, Buffer.buffer("[]")), 400, "invalid_json");
        rejected(open.read(SOURCE, Buffer.buffer()), 400, "invalid_json");
    }

    @Test
    void missingUserContactIsAnInvalidEvent() {
        JsonObject request = request("message", rcs("m-1").put("textMessage", "x"));
        request.getJsonObject("messageContact").remove("userContact");
        assertTrue(rejected(read(request), 400, "invalid_event").message().contains("userContact"));
        request.remove("messageContact");
        rejected(read(request), 400, "invalid_event");
    }

    @Test
    void missingMsgIdIsAnInvalidEventWhereItIsRequired() {
        assertTrue(rejected(read(request("message", new JsonObject().put("textMessage", "x"))), 400, "invalid_event")
                .message().contains("msgId"));
        rejected(read(request("messageStatus", new JsonObject().put("status", "delivered"))), 400, "invalid_event");
        JsonObject suggested = new JsonObject().put("response", new JsonObject().put("reply", new JsonObject().put("displayText", "x")));
        rejected(read(request("response", new JsonObject().put("suggestedResponse", suggested))), 400, "invalid_event");
    }

    @Test
    void wrongTypesAreInvalidEvents() {
        rejected(read(new JsonObject().put("event", 3)), 400, "invalid_event");
        rejected(read(request("message", rcs("m-1").put("textMessage", 5))), 400, "invalid_event");
        rejected(read(request("message", rcs("m-1").put("fileMessage", new JsonObject().put("fileUrl", "u").put("fileSize", -1)))),
                400, "invalid_event");
        rejected(read(request("message", rcs("m-1").put("geolocationPushMessage", new JsonObject().put("latitude", 1)))), 400,
                "invalid_event");
        rejected(read(request("message", new JsonObject()).put("RCSMessage", "not an object")), 400, "invalid_event");
    }

    @Test
    void fileWithoutSizeHasSizeZero() {
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class,
                only(read(request("message", rcs("m-8").put("fileMessage", new JsonObject().put("fileUrl", "https://f"))))));
        assertEquals(new RcsInbound.File("https://f", null, 0, null), m.content());
        assertNull(((RcsInbound.File) m.content()).mimeType());
    }
}
