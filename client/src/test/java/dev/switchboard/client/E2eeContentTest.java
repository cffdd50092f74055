package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.crypto.AttachmentCipher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serialized message inside an end-to-end payload, attachment parts, and the history kept from a bundle. */
class E2eeContentTest {

    @TempDir
    Path temp;

    @Test
    void textAndAnAttachmentPartSurviveTheRoundTripAndTheAttachmentOpens() {
        Attachment photo = new Attachment("jpeg bytes".getBytes(StandardCharsets.UTF_8), "image/jpeg", "beach.jpg");
        AttachmentCipher.Encrypted encrypted = AttachmentCipher.encrypt(photo.bytes());
        JsonNode part = E2eeContent.attachmentPart("med_1", photo, encrypted);

        E2eeContent decoded = E2eeContent.decode(new E2eeContent("look", List.of(part)).encode());

        assertEquals("look", decoded.text());
        JsonNode only = decoded.attachments().get(0);
        assertEquals("med_1", only.path("mediaId").asText());
        assertEquals("beach.jpg", only.path("fileName").asText());
        assertEquals(photo.bytes().length, only.path("size").asInt());
        byte[] opened = AttachmentCipher.decrypt(Base64Url.decode(only.path("key").asText()),
                Base64Url.decode(only.path("digest").asText()), encrypted.ciphertext());
        assertEquals("jpeg bytes", new String(opened, StandardCharsets.UTF_8));
    }

    @Test
    void aPayloadOfAnotherVersionOrShapeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> E2eeContent.decode("{\"v\":2,\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> E2eeContent.decode("[1]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> E2eeContent.decode("not json".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class,
                () -> E2eeContent.decode("{\"v\":1,\"parts\":[{\"no\":\"type\"}]}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMediaPartWithoutKeyIsNotAnEncryptedAttachment() {
        JsonNode plainMedia = Json.MAPPER.createObjectNode().put("type", "media").put("mediaId", "med_2");

        assertFalse(E2eeContent.isAttachment(plainMedia));
        assertTrue(new E2eeContent(null, List.of(plainMedia)).attachments().isEmpty());
    }

    @Test
    void historyEntriesAreKeptByMessageIdInAnOwnerOnlyFile() throws Exception {
        HistoryStore store = new HistoryStore(temp.resolve("dev").resolve("history.json"));
        DecryptedMessage read = new DecryptedMessage("msg_1", true, DecryptedMessage.Source.DECRYPTED, "old news",
                List.of(), null, Json.MAPPER.createObjectNode().put("id", "msg_1").put("from", "+39").put("to", "+44")
                        .put("direction", "out"));

        store.putAll(List.of(Json.MAPPER.readTree(HistoryBundles.entry(read))));

        JsonNode kept = new HistoryStore(temp.resolve("dev").resolve("history.json")).get("msg_1").orElseThrow();
        assertEquals("old news", kept.path("text").asText());
        assertEquals("out", kept.path("direction").asText());
        assertEquals(1, store.size());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(store.file()));
    }
}
