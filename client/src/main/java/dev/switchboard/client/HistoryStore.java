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
 * An entry is the JSON that {@link HistoryBundles} exports. The file is parsed once and kept in
 * memory (read again only when its size or modification time changed, e.g. another process
 * imported a bundle), so looking up the messages of a page costs no file reads. Thread-safe within
 * one process.
 */
public final class HistoryStore {

    private final Path file;
    private final boolean posix;
    /** The parsed file, and the size and modification time it had when read or written here. */
    private ObjectNode cached;
    private long cachedSize = -1;
    private long cachedModified = -1;

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
        return entry.isObject() ? Optional.of(entry.deepCopy()) : Optional.empty();
    }

    public synchronized List<JsonNode> all() {
        List<JsonNode> entries = new ArrayList<>();
        load().path("messages").forEach(entry -> entries.add(entry.deepCopy()));
        return entries;
    }

    public synchronized int size() {
        return load().path("messages").size();
    }

    /** The parsed file: the kept copy unless the file changed since (callers that change it {@link #save} it). */
    private ObjectNode load() {
        long[] stamp = stamp();
        if (cached != null && stamp[0] == cachedSize && stamp[1] == cachedModified) {
            return cached;
        }
        String text = OwnerOnlyFiles.read(file);
        ObjectNode root;
        if (text == null) {
            root = Json.MAPPER.createObjectNode();
        } else {
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                if (!(node instanceof ObjectNode parsed)) {
                    throw new IllegalStateException(file + " is not a history store");
                }
                root = parsed;
            } catch (IOException e) {
                throw new IllegalStateException(file + " is not valid JSON", e);
            }
        }
        cached = root;
        cachedSize = stamp[0];
        cachedModified = stamp[1];
        return root;
    }

    private void save(ObjectNode root) {
        Objects.requireNonNull(root);
        try {
            OwnerOnlyFiles.write(file, Json.MAPPER.writeValueAsString(root) + "\n", posix);
        } catch (IOException e) {
            cached = null;
            throw new UncheckedIOException(e);
        }
        long[] stamp = stamp();
        cached = root;
        cachedSize = stamp[0];
        cachedModified = stamp[1];
    }

    /** Size and modification time (nanoseconds where the file system has them) of the file; -1s when it is missing. */
    private long[] stamp() {
        try {
            java.nio.file.attribute.BasicFileAttributes attributes = java.nio.file.Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class);
            return new long[] {attributes.size(), attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)};
        } catch (java.nio.file.NoSuchFileException e) {
            return new long[] {-1, -1};
        } catch (IOException e) {
            return new long[] {-2, System.nanoTime()};
        }
    }
}
