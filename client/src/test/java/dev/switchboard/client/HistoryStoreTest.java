package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The imported history is parsed once and looked up from memory, and still follows changes to its file. */
class HistoryStoreTest {

    @TempDir
    Path temp;

    private static ObjectNode entry(String id, String text) {
        return Json.MAPPER.createObjectNode().put("id", id).put("text", text);
    }

    @Test
    void lookupsAreServedFromMemoryWithoutReadingTheFileAgain() throws Exception {
        Path file = temp.resolve("history.json");
        HistoryStore store = new HistoryStore(file);
        store.putAll(List.of(entry("msg_1", "aaaa")));
        assertEquals("aaaa", store.get("msg_1").orElseThrow().path("text").asText());

        // Same size, same modification time, other content: only a re-read would see it.
        FileTime modified = Files.getLastModifiedTime(file);
        String text = Files.readString(file);
        Files.writeString(file, text.replace("aaaa", "bbbb"));
        Files.setLastModifiedTime(file, modified);

        assertEquals("aaaa", store.get("msg_1").orElseThrow().path("text").asText());
    }

    @Test
    void aChangeToTheFileByAnotherProcessIsSeen() throws Exception {
        Path file = temp.resolve("history.json");
        HistoryStore store = new HistoryStore(file);
        store.putAll(List.of(entry("msg_1", "one")));
        store.get("msg_1");

        new HistoryStore(file).putAll(List.of(entry("msg_2", "two, from elsewhere")));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));

        assertEquals("two, from elsewhere", store.get("msg_2").orElseThrow().path("text").asText());
        assertEquals(2, store.size());
    }

    @Test
    void whatALookupReturnsCannotChangeTheStore() {
        HistoryStore store = new HistoryStore(temp.resolve("history.json"));
        store.putAll(List.of(entry("msg_1", "kept")));

        ((ObjectNode) store.get("msg_1").orElseThrow()).put("text", "changed by a caller");

        assertEquals("kept", store.get("msg_1").orElseThrow().path("text").asText());
    }

    @Test
    void manyLookupsInABigStoreStayCheap() {
        HistoryStore store = new HistoryStore(temp.resolve("history.json"));
        List<com.fasterxml.jackson.databind.JsonNode> entries = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            entries.add(entry("msg_" + i, "text number " + i));
        }
        store.putAll(entries);

        long start = System.nanoTime();
        for (int i = 0; i < 5_000; i++) {
            assertTrue(store.get("msg_" + i).isPresent());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        // Re-parsing the whole file on each lookup made this quadratic; from memory it is milliseconds.
        assertTrue(millis < 5_000, "5000 lookups took " + millis + " ms");
    }
}
