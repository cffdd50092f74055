package dev.switchboard.carrier.rcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RBM webhooks: the handshake, the signature over the decoded Pub/Sub data, and the mapping of every payload kind. */
class RbmWebhookTest {
    private static final String TOKEN = "client-token-ü-42";
    private static final String SENDER = "+4915112345678";

    private final RbmWebhook webhook = new RbmWebhook("rbm-main", TOKEN);

    static String sign(String key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA512");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data));
    }

    private static Buffer envelope(String data) {
        return new JsonObject()
                .put("message", new JsonObject().put("data", data).put("messageId", "136969346945")
                        .put("publishTime", "2024-05-01T10:00:00Z").put("attributes", new JsonObject()))
                .put("subscription", "projects/rbm/subscriptions/agent")
                .toBuffer();
    }

    private static byte[] bytes(JsonObject payload) {
        return payload.encode().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a correctly signed envelope carrying {@code payload}. */
    private WebhookResult deliver(JsonObject payload) throws Exception {
        byte[] data = bytes(payload);
        return webhook.read(sign(TOKEN, data), envelope(Base64.getEncoder().encodeToString(data)));
    }

    private static JsonObject message() {
        return new JsonObject().put("senderPhoneNumber", SENDER).put("messageId", "MxAbC123").put("sendTime", "2024-05-01T10:00:00.123Z")
                .put("agentId", "switchboard_agent");
    }

    private static JsonObject event(String type) {
        return new JsonObject().put("senderPhoneNumber", SENDER).put("eventType", type).put("eventId", "EvXyZ9")
                .put("messageId", "our-msg-1").put("sendTime", "2024-05-01T10:00:01Z").put("agentId", "switchboard_agent");
    }

    private static RcsInbound only(WebhookResult result) {
        List<RcsInbound> events = assertInstanceOf(WebhookResult.Events.class, result).events();
        assertEquals(1, events.size(), events::toString);
        return events.get(0);
    }

    private static WebhookResult.Rejected rejected(WebhookResult result, int status, String error) {
        WebhookResult.Rejected rejected = assertInstanceOf(WebhookResult.Rejected.class, result);
        assertEquals(status, rejected.status(), rejected::toString);
        assertEquals(error, rejected.error(), rejected::toString);
        return rejected;
    }

    @Test
    void handshakeAnswersTheSecret() {
        Buffer body = new JsonObject().put("clientToken", TOKEN).put("secret", "s3cr3t-from-google").toBuffer();
        assertEquals(new WebhookResult.Handshake("s3cr3t-from-google"), webhook.read(null, body));
    }

    @Test
    void handshakeWithAnotherClientTokenIsRejectedWith403() {
        Buffer body = new JsonObject().put("clientToken", TOKEN + "x").put("secret", "s3cr3t").toBuffer();
        WebhookResult.Rejected rejected = rejected(webhook.read(null, body), 403, "invalid_client_token");
        assertFalse(rejected.message().contains("s3cr3t"));
    }

    @Test
    void handshakeWithANonStringClientTokenIsRejectedWith403() {
        Buffer body = new JsonObject().put("clientToken", 42).put("secret", "s3cr3t").toBuffer();
        rejected(webhook.read(null, body), 403, "invalid_client_token");
    }

    @Test
    void signatureOverDecodedDataIsAccepted() throws Exception {
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class, only(deliver(message().put("text", "Hallo"))));
        assertEquals(new RcsInbound.UserMessage("msg:MxAbC123", SENDER, "MxAbC123", "2024-05-01T10:00:00.123Z",
                new RcsInbound.Text("Hallo")), m);
    }

    @Test
    void signatureOverTheBase64TextInsteadOfTheDecodedBytesIsRejected() throws Exception {
        String data = Base64.getEncoder().encodeToString(bytes(message().put("text", "Hallo")));
        String wrongInput = sign(TOKEN, data.getBytes(StandardCharsets.US_ASCII));
        rejected(webhook.read(wrongInput, envelope(data)), 401, "invalid_signature");
    }

    @Test
    void signatureWithAnotherClientTokenIsRejected() throws Exception {
        byte[] data = bytes(message().put("text", "Hallo"));
        rejected(webhook.read(sign("other-token", data), envelope(Base64.getEncoder().encodeToString(data))), 401, "invalid_signature");
    }

    @Test
    void tamperedDataIsRejectedWith401() throws Exception {
        byte[] original = bytes(message().put("text", "pay 10"));
        String signature = sign(TOKEN, original);
        byte[] tampered = bytes(message().put("text", "pay 99"));
        rejected(webhook.read(signature, envelope(Base64.getEncoder().encodeToString(tampered))), 401, "invalid_signature");
    }

    @Test
    void missingSignatureIsRejectedWith401() {
        String data = Base64.getEncoder().encodeToString(bytes(message().put("text", "Hallo")));
        rejected(webhook.read(null, envelope(data)), 401, "missing_signature");
        rejected(webhook.read("  ", envelope(data)), 401, "missing_signature");
    }

    @Test
    void undecodableSignatureHeaderIsSimplyInvalid() {
        String data = Base64.getEncoder().encodeToString(bytes(message().put("text", "Hallo")));
        rejected(webhook.read("%%% not base64 %%%", envelope(data)), 401, "invalid_signature");
    }

    @Test
    void truncatedSignatureIsInvalid() throws Exception {
        byte[] data = bytes(message().put("text", "Hallo"));
        byte[] mac = Base64.getDecoder().decode(sign(TOKEN, data));
        String half = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(mac, 32));
        rejected(webhook.read(half, envelope(Base64.getEncoder().encodeToString(data))), 401, "invalid_signature");
    }

    @Test
    void replayedRequestGivesTheSameDedupeKey() throws Exception {
        byte[] data = bytes(message().put("text", "Hallo"));
        String signature = sign(TOKEN, data);
        Buffer body = envelope(Base64.getEncoder().encodeToString(data));
        RcsInbound first = only(webhook.read(signature, body));
        RcsInbound second = only(webhook.read(signature, body));
        assertEquals("msg:MxAbC123", first.dedupeKey());
        assertEquals(first.dedupeKey(), second.dedupeKey());
        assertEquals(first, second);
    }

    @Test
    void urlSafeBase64DataIsTolerated() throws Exception {
        // "??>" encodes to "Pz8+" in the standard alphabet and "Pz8-" in the URL-safe one.
        byte[] data = bytes(message().put("text", "??>??>"));
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        assertTrue(urlSafe.contains("-") || urlSafe.contains("_"), urlSafe);
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class, only(webhook.read(sign(TOKEN, data), envelope(urlSafe))));
        assertEquals(new RcsInbound.Text("??>??>"), m.content());
    }

    @Test
    void wrongBase64DataIsRejectedWith400BeforeTheSignatureIsLookedAt() {
        rejected(webhook.read(null, envelope("not*base64!")), 400, "invalid_base64");
        rejected(webhook.read(null, envelope("Pz8+Pz8-")), 400, "invalid_base64");
    }

    @Test
    void malformedBodyJsonIsRejectedWith400() {
        rejected(webhook.read("sig", Buffer.buffer("{\"message\": {")), 400, "invalid_json");
        rejected(webhook.read("sig", Buffer.buffer("")), 400, "invalid_json");
        rejected(webhook.read("sig", Buffer.buffer("[1, 2]")), 400, "invalid_json");
        rejected(webhook.read("sig", Buffer.buffer("\"text\"")), 400, "invalid_json");
    }

    @Test
    void malformedDecodedJsonIsRejectedOnlyOnceSigned() throws Exception {
        byte[] garbage = "{\"senderPhoneNumber\": ".getBytes(StandardCharsets.UTF_8);
        Buffer body = envelope(Base64.getEncoder().encodeToString(garbage));
        rejected(webhook.read(sign("other-token", garbage), body), 401, "invalid_signature");
        rejected(webhook.read(sign(TOKEN, garbage), body), 400, "invalid_json");
        byte[] array = new JsonArray().add(1).encode().getBytes(StandardCharsets.UTF_8);
        rejected(webhook.read(sign(TOKEN, array), envelope(Base64.getEncoder().encodeToString(array))), 400, "invalid_json");
    }

    @Test
    void envelopeWithoutMessageOrDataIsRejected() {
        rejected(webhook.read("sig", new JsonObject().put("subscription", "s").toBuffer()), 400, "invalid_envelope");
        rejected(webhook.read("sig", new JsonObject().put("message", new JsonObject()).toBuffer()), 400, "invalid_envelope");
        rejected(webhook.read("sig", new JsonObject().put("message", new JsonObject().put("data", 5)).toBuffer()), 400,
                "invalid_envelope");
        rejected(webhook.read("sig", new JsonObject().put("message", "data").toBuffer()), 400, "invalid_envelope");
    }

    @Test
    void handshakeFieldsBesideAMessageAreNotAHandshake() {
        Buffer body = new JsonObject().put("clientToken", TOKEN).put("secret", "s").put("message", new JsonObject()).toBuffer();
        rejected(webhook.read(null, body), 400, "invalid_envelope");
    }

    @Test
    void userFileMapsUriTypeSizeAndName() throws Exception {
        JsonObject file = new JsonObject().put("category", "IMAGE")
                .put("thumbnail", new JsonObject().put("mimeType", "image/jpeg").put("fileUri", "https://rcs.example/thumb"))
                .put("payload", new JsonObject().put("mimeType", "image/jpeg").put("fileSizeBytes", 123456)
                        .put("fileName", "cat.jpg").put("fileUri", "https://rcs.example/file/abc"));
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class, only(deliver(message().put("userFile", file))));
        assertEquals(new RcsInbound.File("https://rcs.example/file/abc", "image/jpeg", 123456, "cat.jpg"), m.content());
        assertEquals("msg:MxAbC123", m.dedupeKey());
    }

    @Test
    void fileSizeWrittenAsAStringIsRead() throws Exception {
        JsonObject file = new JsonObject().put("payload", new JsonObject().put("mimeType", "video/mp4").put("fileSizeBytes", "9876543210")
                .put("fileName", "clip.mp4").put("fileUri", "https://rcs.example/file/v"));
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class, only(deliver(message().put("userFile", file))));
        assertEquals(9_876_543_210L, ((RcsInbound.File) m.content()).size());
    }

    @Test
    void locationMapsLatitudeAndLongitude() throws Exception {
        JsonObject location = new JsonObject().put("latitude", 52.52).put("longitude", 13);
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class, only(deliver(message().put("location", location))));
        assertEquals(new RcsInbound.Location(52.52, 13.0), m.content());
    }

    @Test
    void suggestionResponseCarriesPostbackDataAndText() throws Exception {
        JsonObject response = new JsonObject().put("postbackData", "order:42:yes").put("text", "Yes").put("type", "REPLY");
        RcsInbound.UserMessage m = assertInstanceOf(RcsInbound.UserMessage.class,
                only(deliver(message().put("suggestionResponse", response))));
        assertEquals(new RcsInbound.SuggestionResponse("order:42:yes", "Yes"), m.content());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELIVERED", "READ", "IS_TYPING", "UNSUBSCRIBE", "SUBSCRIBE"})
    void everyUserEventTypeIsMapped(String type) throws Exception {
        RcsInbound.UserEvent e = assertInstanceOf(RcsInbound.UserEvent.class, only(deliver(event(type))));
        assertEquals(new RcsInbound.UserEvent("evt:EvXyZ9", SENDER, RcsInbound.EventType.valueOf(type), "EvXyZ9", "our-msg-1",
                "2024-05-01T10:00:01Z"), e);
    }

    @Test
    void typingEventWithoutMessageIdHasNone() throws Exception {
        JsonObject typing = event("IS_TYPING");
        typing.remove("messageId");
        assertNull(((RcsInbound.UserEvent) only(deliver(typing))).messageId());
    }

    @Test
    void unknownEventTypeIsIgnoredNotRejected() throws Exception {
        assertEquals(new WebhookResult.Events(List.of()), deliver(event("SOMETHING_NEW")));
    }

    @Test
    void unknownMessageKindIsIgnoredNotRejected() throws Exception {
        JsonObject richResponse = message().put("voiceNote", new JsonObject().put("uri", "https://x"));
        assertEquals(new WebhookResult.Events(List.of()), deliver(richResponse));
    }

    @Test
    void missingSenderIsAnInvalidEventNamingTheField() throws Exception {
        JsonObject payload = message().put("text", "Hallo");
        payload.remove("senderPhoneNumber");
        WebhookResult.Rejected r = rejected(deliver(payload), 400, "invalid_event");
        assertTrue(r.message().contains("senderPhoneNumber"), r.message());
        JsonObject event = event("READ");
        event.remove("senderPhoneNumber");
        rejected(deliver(event), 400, "invalid_event");
    }

    @Test
    void userMessageWithoutMessageIdIsAnInvalidEvent() throws Exception {
        JsonObject payload = message().put("text", "Hallo");
        payload.remove("messageId");
        assertTrue(rejected(deliver(payload), 400, "invalid_event").message().contains("messageId"));
    }

    @Test
    void userEventWithoutEventIdIsAnInvalidEvent() throws Exception {
        JsonObject payload = event("DELIVERED");
        payload.remove("eventId");
        assertTrue(rejected(deliver(payload), 400, "invalid_event").message().contains("eventId"));
    }

    @Test
    void wrongFieldTypesAreInvalidEventsNamingTheField() throws Exception {
        assertTrue(rejected(deliver(message().put("text", 42)), 400, "invalid_event").message().contains("text"));
        assertTrue(rejected(deliver(message().put("location", new JsonObject().put("latitude", "52.5").put("longitude", 13))), 400,
                "invalid_event").message().contains("location.latitude"));
        assertTrue(rejected(deliver(message().put("userFile", new JsonObject().put("payload", new JsonObject()
                .put("fileUri", "https://x").put("fileSizeBytes", "big")))), 400, "invalid_event").message()
                .contains("userFile.payload.fileSizeBytes"));
        assertTrue(rejected(deliver(message().put("userFile", "https://x")), 400, "invalid_event").message().contains("userFile"));
        assertTrue(rejected(deliver(message().put("suggestionResponse", new JsonObject().put("postbackData", 1))), 400,
                "invalid_event").message().contains("suggestionResponse.postbackData"));
        assertTrue(rejected(deliver(event("READ").put("eventType", 7)), 400, "invalid_event").message().contains("eventType"));
        assertTrue(rejected(deliver(message().put("senderPhoneNumber", 4915112345678L).put("text", "x")), 400, "invalid_event")
                .message().contains("senderPhoneNumber"));
    }

    @Test
    void rejectionMessagesNeverEchoTheBodyTheSecretOrTheSignature() throws Exception {
        String marker = "CANARY-7731";
        byte[] data = bytes(message().put("text", marker));
        String signature = sign("other-token", data);
        String text = rejected(webhook.read(signature, envelope(Base64.getEncoder().encodeToString(data))), 401, "invalid_signature")
                .message();
        assertFalse(text.contains(marker) || text.contains(signature), text);
        JsonObject noSender = message().put("text", marker);
        noSender.remove("senderPhoneNumber");
        assertFalse(rejected(deliver(noSender), 400, "invalid_event").message().contains(marker));
        assertFalse(rejected(webhook.read(null, Buffer.buffer("{" + marker)), 400, "invalid_json").message().contains(marker));
        String handshake = rejected(webhook.read(null, new JsonObject().put("clientToken", marker).put("secret", marker).toBuffer()),
                403, "invalid_client_token").message();
        assertFalse(handshake.contains(marker) || handshake.contains(TOKEN), handshake);
    }

    @Test
    void anEmptyClientTokenIsRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new RbmWebhook("rbm-main", ""));
    }
}
