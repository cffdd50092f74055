package dev.switchboard.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.SyncEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HumanFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void conversationLineShowsPeerUnreadAndLastText() throws Exception {
        JsonNode conversation = JSON.readTree("{\"id\":\"c1\",\"peer\":\"+390622222222\",\"unread\":3,"
                + "\"lastMessage\":{\"text\":\"see you\\nat 8\"}}");

        assertEquals("+390622222222  3 unread  see you ⏎ at 8", HumanFormat.conversation(conversation));
    }

    @Test
    void conversationWithoutMessagesHasAnEmptyLastText() throws Exception {
        JsonNode conversation = JSON.readTree("{\"peer\":\"+390622222222\",\"unread\":0,\"lastMessage\":null}");

        assertEquals("+390622222222  0 unread  ", HumanFormat.conversation(conversation));
    }

    @Test
    void messageLineShowsDirectionPeerTextAndStatus() throws Exception {
        JsonNode in = JSON.readTree("{\"direction\":\"in\",\"from\":\"+3911\",\"to\":\"+3922\",\"text\":\"hi\","
                + "\"status\":\"delivered\",\"createdAt\":\"2026-01-01T10:00:00Z\"}");
        JsonNode out = JSON.readTree("{\"direction\":\"out\",\"from\":\"+3922\",\"to\":\"+3911\",\"text\":\"\","
                + "\"parts\":[{\"type\":\"media\"}],\"status\":\"queued\",\"createdAt\":\"2026-01-01T10:01:00Z\"}");

        assertEquals("2026-01-01T10:00:00Z  <- +3911  hi  [delivered]", HumanFormat.message(in));
        assertEquals("2026-01-01T10:01:00Z  -> +3911  [media]  [queued]", HumanFormat.message(out));
    }

    @Test
    void eventLineStartsWithSeqAndType() throws Exception {
        SyncEvent read = new SyncEvent(12, "conversation.read", Instant.parse("2026-01-01T10:00:00Z"),
                JSON.readTree("{\"conversationId\":\"c1\",\"upTo\":\"m9\"}"));
        SyncEvent unlinked = new SyncEvent(13, "device.unlinked", Instant.parse("2026-01-01T10:00:00Z"),
                JSON.readTree("{\"id\":\"d2\",\"kind\":\"companion\",\"name\":\"tablet\",\"reason\":\"primary_inactive\"}"));

        assertEquals("#12 conversation.read  conversation c1 read up to m9", HumanFormat.event(read));
        assertEquals("#13 device.unlinked  companion d2 tablet (primary_inactive)", HumanFormat.event(unlinked));
    }

    @Test
    void deviceLineMarksTheCurrentDevice() throws Exception {
        JsonNode device = JSON.readTree("{\"id\":\"d1\",\"kind\":\"primary\",\"name\":\"laptop\","
                + "\"lastSeenAt\":\"2026-01-01T10:00:00Z\",\"syncedSeq\":42,\"current\":true}");

        assertEquals("d1  primary  laptop  last seen 2026-01-01T10:00:00Z  synced 42  (this device)",
                HumanFormat.device(device));
    }

    @Test
    void endToEndMessagesCarryALockAndTheirDecryptedTextOrWhyTheyCannotBeRead() throws Exception {
        JsonNode message = JSON.readTree("{\"id\":\"m1\",\"direction\":\"in\",\"from\":\"+390611111111\","
                + "\"to\":\"+390622222222\",\"e2ee\":true,\"text\":null,\"createdAt\":\"2026-11-27T10:00:00Z\","
                + "\"status\":\"delivered\"}");
        DecryptedMessage read = new DecryptedMessage("m1", true, DecryptedMessage.Source.DECRYPTED, "hello\nthere",
                List.of(JSON.readTree("{\"type\":\"media\",\"fileName\":\"a.jpg\"}")), null, message);
        DecryptedMessage failed = new DecryptedMessage("m1", true, DecryptedMessage.Source.FAILED, null, List.of(),
                "sender signature does not verify", message);

        assertEquals("2026-11-27T10:00:00Z  " + HumanFormat.LOCK + " <- +390611111111  hello \u23ce there [media a.jpg]  [delivered]",
                HumanFormat.message(read));
        assertEquals("2026-11-27T10:00:00Z  " + HumanFormat.LOCK
                + " <- +390611111111  [cannot decrypt: sender signature does not verify]  [delivered]", HumanFormat.message(failed));
    }

    @Test
    void aConversationHeaderSaysWhetherItIsEndToEnd() throws Exception {
        JsonNode e2ee = JSON.readTree("{\"peer\":\"+390611111111\",\"e2ee\":true}");
        JsonNode carrier = JSON.readTree("{\"peer\":\"+447700900001\",\"e2ee\":false}");
        List<JsonNode> sms = List.of(JSON.readTree("{\"channel\":\"sms\"}"));

        assertEquals(HumanFormat.LOCK + " conversation with +390611111111: end-to-end encrypted", HumanFormat.conversationHeader(e2ee, List.of()));
        assertEquals("conversation with +447700900001: not end-to-end encrypted (SMS)", HumanFormat.conversationHeader(carrier, sms));
    }

    @Test
    void doubtfulMessagesCarryAWarningSignAndWhatIsDoubtfulInTextAndJson() throws Exception {
        JsonNode plain = JSON.readTree("{\"id\":\"m2\",\"direction\":\"in\",\"from\":\"+390611111111\","
                + "\"to\":\"+390622222222\",\"e2ee\":false,\"channel\":\"onnet\",\"text\":\"call me\","
                + "\"createdAt\":\"2026-11-27T10:00:00Z\",\"status\":\"delivered\"}");
        DecryptedMessage injected = new DecryptedMessage("m2", false, DecryptedMessage.Source.PLAIN, "call me", List.of(),
                null, plain, List.of(DecryptedMessage.Warning.UNAUTHENTICATED_PLAINTEXT), null);
        JsonNode e2ee = JSON.readTree("{\"id\":\"m3\",\"direction\":\"in\",\"from\":\"+390611111111\","
                + "\"to\":\"+390622222222\",\"e2ee\":true,\"text\":null,\"createdAt\":\"2026-11-27T10:00:00Z\","
                + "\"status\":\"delivered\",\"encrypted\":{}}");
        DecryptedMessage unlinked = new DecryptedMessage("m3", true, DecryptedMessage.Source.DECRYPTED, "hi", List.of(),
                null, e2ee, List.of(DecryptedMessage.Warning.SENDER_UNLINKED, DecryptedMessage.Warning.REPLAYED),
                Instant.parse("2026-11-27T09:59:58Z"));

        assertEquals("2026-11-27T10:00:00Z  <- +390611111111  call me  [delivered]  " + HumanFormat.WARNING
                + " unauthenticated (not end-to-end)", HumanFormat.message(injected));
        assertEquals("2026-11-27T10:00:00Z  " + HumanFormat.LOCK + " <- +390611111111  hi  [delivered]  " + HumanFormat.WARNING
                + " sent by a device no longer linked; replayed: the same signed message was shown before",
                HumanFormat.message(unlinked));
        assertEquals("[\"unauthenticated_plaintext\"]", MessagesCommand.json(injected).path("warnings").toString());
        assertEquals("[\"sender_unlinked\",\"replayed\"]", MessagesCommand.json(unlinked).path("warnings").toString());
        assertEquals("2026-11-27T09:59:58Z", MessagesCommand.json(unlinked).path("sentAt").asText());
        assertEquals(false, MessagesCommand.json(HumanFormatTest.plainRead(plain)).has("warnings"));
        assertEquals(HumanFormat.LOCK + " conversation with +390611111111: end-to-end encrypted  " + HumanFormat.WARNING
                + " 1 message unauthenticated (not end-to-end)", HumanFormat.conversationHeader(
                        JSON.readTree("{\"peer\":\"+390611111111\",\"e2ee\":true}"), List.of(plain, e2ee),
                        List.of(injected, unlinked)));
    }

    private static DecryptedMessage plainRead(JsonNode message) {
        return new DecryptedMessage("m", false, DecryptedMessage.Source.PLAIN, message.path("text").asText(), List.of(),
                null, message);
    }
}
