package dev.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crypto.HistoryBundle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * End-to-end history for a new companion (design note, "Trust and history"). The primary
 * {@linkplain #export exports} the end-to-end messages it can read as a {@link HistoryBundle}
 * (encrypted under a fresh key), uploads the blob as opaque media and passes the returned
 * {@link HistoryPointer} to {@link SwitchboardClient#approveLink}, which seals it into the
 * provisioning message; the companion {@linkplain #importInto imports} it into its
 * {@link HistoryStore}. Carrier conversations need none of this: the gateway has them.
 *
 * <p>One entry per message, UTF-8 JSON:
 * {@code {"id", "conversationId", "from", "to", "direction", "createdAt", "text", "parts"}}.
 */
public final class HistoryBundles {

    /** The most messages one bundle carries (the newest ones), so a bundle stays a reasonable upload. */
    public static final int MAX_MESSAGES = 10_000;

    private HistoryBundles() {
    }

    /**
     * Exports every end-to-end message of this device's conversations that {@code decryptor} can
     * read (decrypted here, or itself from an imported history), uploads the encrypted bundle and
     * returns where it is. Messages it cannot read are left out.
     */
    public static HistoryPointer export(SwitchboardClient client, MessageDecryptor decryptor) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(decryptor, "decryptor");
        List<byte[]> entries = new ArrayList<>();
        for (JsonNode conversation : client.allConversations()) {
            for (JsonNode message : client.allMessages(conversation.path("id").asText())) {
                if (entries.size() >= MAX_MESSAGES) {
                    break;
                }
                if (!message.path("e2ee").asBoolean(false)) {
                    continue;
                }
                DecryptedMessage read = decryptor.decrypt(message);
                if (read.readable()) {
                    entries.add(entry(read));
                }
            }
        }
        HistoryBundle.Exported bundle = HistoryBundle.export(entries);
        JsonNode uploaded = client.uploadMedia(bundle.blob(), "application/octet-stream", null);
        return new HistoryPointer(Json.requiredText(uploaded, "mediaId"), bundle.key());
    }

    /**
     * Downloads the bundle {@code pointer} names, opens it and keeps its messages in {@code store}.
     *
     * @return how many messages it held
     * @throws dev.switchboard.crypto.CryptoException when the bundle does not open with the key
     */
    public static int importInto(SwitchboardClient client, HistoryPointer pointer, HistoryStore store) {
        byte[] blob = client.downloadMedia(pointer.mediaId());
        List<byte[]> opened = HistoryBundle.open(pointer.key(), blob);
        List<JsonNode> entries = new ArrayList<>(opened.size());
        for (byte[] entry : opened) {
            try {
                JsonNode node = Json.MAPPER.readTree(entry);
                if (node != null && node.isObject() && node.hasNonNull("id")) {
                    entries.add(node);
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("the history bundle holds an entry that is not JSON", e);
            }
        }
        store.putAll(pointer.mediaId(), entries);
        return entries.size();
    }

    static byte[] entry(DecryptedMessage read) {
        JsonNode message = read.message();
        ObjectNode entry = Json.MAPPER.createObjectNode().put("id", read.id());
        for (String field : List.of("conversationId", "from", "to", "direction", "createdAt")) {
            entry.put(field, Json.optionalText(message, field));
        }
        if (read.text() == null) {
            entry.putNull("text");
        } else {
            entry.put("text", read.text());
        }
        ArrayNode parts = entry.putArray("parts");
        read.parts().forEach(parts::add);
        try {
            return Json.MAPPER.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a history entry", e);
        }
    }
}
