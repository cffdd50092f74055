package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The end-to-end messages a companion received in its primary's history bundle, decrypted, keyed by
 * the gateway's message id (the number's devices share one inbox, so the ids are the same). They
 * are plaintext, so the file ({@code history.json} in the {@link DeviceFolder}) is owner-only,
 * like the keys next to it:
 * <pre>
 *   {"messages": {"msg_1": {"id", "from", "to", "direction", "createdAt", "text", "parts"}},
 *    "imported": ["med_..."]}
 * </pre>
 * An entry is the JSON that {@link HistoryBundles} exports. Thread-safe within one process.
 */
public final class HistoryStore {

    private final Path file;
    private final boolean posix;

    public HistoryStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.posix = OwnerOnlyFiles.posix(this.file.getParent());
    }

    public Path file() {
        return file;
    }

    /** Adds {@code entries} (each with an {@code id}), replacing entries with the same id. */
    public synchronized void putAll(List<JsonNode> entries) {
        ObjectNode root = load();
        ObjectNode messages = root.path("messages") instanceof ObjectNode existing ? existing : root.putObject("messages");
        for (JsonNode entry : entries) {
            String id = Json.optionalText(entry, "id");
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("a history entry has no message id");
            }
            messages.set(id, entry.deepCopy());
        }
        save(root);
    }

    /** Whether the bundle stored as {@code mediaId} was imported here already. */
    public synchronized boolean imported(String mediaId) {
        for (JsonNode id : load().path("imported")) {
            if (id.asText().equals(mediaId)) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code entries} from the bundle stored as {@code mediaId}, and remembers that it was imported. */
    public synchronized void putAll(String mediaId, List<JsonNode> entries) {
        putAll(entries);
        ObjectNode root = load();
        com.fasterxml.jackson.databind.node.ArrayNode imported = root.path("imported") instanceof com.fasterxml.jackson.databind.node.ArrayNode a
                ? a : root.putArray("imported");
        imported.add(mediaId);
        save(root);
    }

    public synchronized Optional<JsonNode> get(String messageId) {
        JsonNode entry = load().path("messages").path(messageId);
        return entry.isObject() ? Optional.of(entry) : Optional.empty();
    }

    public synchronized List<JsonNode> all() {
        List<JsonNode> entries = new ArrayList<>();
        load().path("messages").forEach(entries::add);
        return entries;
    }

    public synchronized int size() {
        return load().path("messages").size();
    }

    private ObjectNode load() {
        String text = OwnerOnlyFiles.read(file);
        if (text == null) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (!(node instanceof ObjectNode root)) {
                throw new IllegalStateException(file + " is not a history store");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not valid JSON", e);
        }
    }

    private void save(ObjectNode root) {
        Objects.requireNonNull(root);
        try {
            OwnerOnlyFiles.write(file, Json.MAPPER.writeValueAsString(root) + "\n", posix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
