package dev.switchboard.gateway.e2ee;

import static dev.switchboard.gateway.e2ee.Sealing.body;
import static dev.switchboard.gateway.e2ee.Sealing.bytes;
import static dev.switchboard.gateway.e2ee.Sealing.e2eeNumber;
import static dev.switchboard.gateway.e2ee.Sealing.open;
import static dev.switchboard.gateway.e2ee.Sealing.seal;
import static dev.switchboard.gateway.e2ee.Sealing.send;
import static dev.switchboard.gateway.e2ee.Sealing.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncStream;
import dev.switchboard.crypto.SealedMessage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import dev.switchboard.inbox.messages.EncryptedMessage;
import dev.switchboard.inbox.messages.EncryptedPayloads;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pages of encrypted messages are bounded by their ciphertext, not only by count: a conversation of
 * 30 messages of the largest ciphertext (256 KiB each, 7.5 MiB in all, and twice that in the
 * sender's log, whose status updates carry the message again) is read completely through
 * {@code GET /v1/sync}, the message list and the stream, in several pages of at most
 * {@link EncryptedPayloads#MAX_PAGE_CIPHERTEXT} of ciphertext each, nothing lost and nothing twice.
 * The conversation list is cut the same way by the previews it carries.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class E2eeLargePagesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES = 30;
    /** Peers of A with one large message each: their previews together pass the budget. */
    private static final int PEERS = EncryptedPayloads.MAX_PAGE_CIPHERTEXT / EncryptedMessage.MAX_CIPHERTEXT + 2;

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static List<Device> a;
    private static List<Device> b;
    /** Each message's text, in the order sent. */
    private static final List<String> texts = new ArrayList<>();

    @BeforeAll
    static void aSendsThirtyLargeMessagesToBAndOneToEachPeer() throws Exception {
        a = e2eeNumber(gw, "+390620030001", "laptop");
        b = e2eeNumber(gw, "+390620030002", "laptop");
        Device sender = a.get(0);
        String to = b.get(0).number();
        int overhead = seal(sender, to, targets(gw, sender, to), "").ciphertext().length;
        for (int i = 0; i < MESSAGES; i++) {
            String text = largeText(i, EncryptedMessage.MAX_CIPHERTEXT - overhead);
            SealedMessage sealed = seal(sender, to, targets(gw, sender, to), text);
            assertEquals(EncryptedMessage.MAX_CIPHERTEXT, sealed.ciphertext().length, "the largest ciphertext allowed");
            HttpResult sent = send(gw, sender, body(to, sealed));
            assertEquals(202, sent.status(), sent.body());
            texts.add(text);
        }
        for (int p = 0; p < PEERS; p++) {
            String peer = "+3906200301" + String.format("%02d", p);
            e2eeNumber(gw, peer);
            SealedMessage sealed = seal(sender, peer, targets(gw, sender, peer), largeText(1000 + p, EncryptedMessage.MAX_CIPHERTEXT - overhead));
            HttpResult sent = send(gw, sender, body(peer, sealed));
            assertEquals(202, sent.status(), sent.body());
        }
    }

    private static String largeText(int i, int length) {
        StringBuilder text = new StringBuilder("large message " + i + " ");
        while (text.length() < length) {
            text.append((char) ('a' + text.length() % 26));
        }
        return text.substring(0, length);
    }

    /** The decoded ciphertext bytes a page of message JSONs carries. */
    private static long ciphertextOf(List<JsonObject> messages) {
        long sum = 0;
        for (JsonObject m : messages) {
            if (m != null && m.getValue("encrypted") instanceof JsonObject enc) {
                sum += bytes(enc.getString("ciphertext")).length;
            }
        }
        return sum;
    }

    private static void assertWithinBudget(String what, List<JsonObject> messages) {
        long carried = ciphertextOf(messages);
        assertTrue(!messages.isEmpty(), what + " is never empty");
        assertTrue(messages.size() == 1 || carried <= EncryptedPayloads.MAX_PAGE_CIPHERTEXT,
                what + " carries " + carried + " bytes of ciphertext in " + messages.size() + " messages");
    }

    @Test
    void restSyncPagesStayWithinTheBudgetAndTogetherHoldEveryEventOnce() throws Exception {
        for (Device reader : List.of(a.get(1), b.get(1))) {
            List<Long> seqs = new ArrayList<>();
            List<String> created = new ArrayList<>();
            long since = 0;
            int pages = 0;
            boolean hasMore = true;
            while (hasMore) {
                JsonObject page = gw.get("/v1/sync?limit=1000&since=" + since, reader.token()).json();
                JsonArray events = page.getJsonArray("events");
                List<JsonObject> messages = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    JsonObject e = events.getJsonObject(i);
                    seqs.add(e.getLong("seq"));
                    if (e.getValue("data") instanceof JsonObject data && data.getValue("encrypted") != null) {
                        messages.add(data);
                        if (e.getString("type").equals("message.created")) {
                            created.add(open(data, reader, a.get(0)));
                        }
                    }
                }
                assertWithinBudget("sync page " + pages + " of " + reader, messages);
                hasMore = page.getBoolean("hasMore");
                assertEquals(seqs.get(seqs.size() - 1), page.getLong("next"), "next is the last event sent");
                assertTrue(events.size() < 1000 || !hasMore, "pages are cut by bytes, not by the limit");
                since = page.getLong("next");
                pages++;
            }
            assertTrue(pages >= 2, reader + " needed several pages: " + pages);
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i + 1, seqs.get(i), "gapless and without duplicates");
            }
            List<String> toB = created.stream().filter(t -> t.startsWith("large message ") && texts.contains(t)).toList();
            assertEquals(texts, toB, reader + " read each message to B once, in order");
        }
    }

    @Test
    void theMessageListPagesBackWithBeforeWithinTheBudget() throws Exception {
        for (Device reader : List.of(a.get(0), b.get(0), b.get(1))) {
            String peer = reader.number().equals(b.get(0).number()) ? a.get(0).number() : b.get(0).number();
            String conversation = conversationWith(reader, peer).getString("id");
            List<String> read = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            String before = null;
            int pages = 0;
            do {
                JsonObject page = gw.get("/v1/conversations/" + conversation + "/messages?limit=200"
                        + (before == null ? "" : "&before=" + before), reader.token()).json();
                List<JsonObject> messages = page.getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
                assertWithinBudget("message page " + pages + " of " + reader, messages);
                for (JsonObject m : messages) {
                    assertTrue(ids.add(m.getString("id")), "no message twice");
                    read.add(open(m, reader, a.get(0)));
                }
                before = page.getString("next");
                if (before != null) {
                    assertEquals(messages.get(messages.size() - 1).getString("id"), before, "next is the last message sent");
                }
                pages++;
            } while (before != null);
            assertTrue(pages >= 2, "several pages: " + pages);
            List<String> oldestFirst = new ArrayList<>(read);
            java.util.Collections.reverse(oldestFirst);
            assertEquals(texts, oldestFirst, reader + " read every message once, newest first");
        }
    }

    @Test
    void theConversationListIsCutByItsPreviews() throws Exception {
        Device reader = a.get(1);
        Set<String> seen = new LinkedHashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page = gw.get("/v1/conversations?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), reader.token()).json();
            List<JsonObject> previews = new ArrayList<>();
            for (Object o : page.getJsonArray("conversations")) {
                JsonObject c = (JsonObject) o;
                assertTrue(seen.add(c.getString("peer")), "no conversation twice");
                JsonObject last = c.getJsonObject("lastMessage");
                assertNotNull(last.getJsonObject("encrypted"), "previews are encrypted");
                previews.add(last);
            }
            assertWithinBudget("conversation page " + pages, previews);
            cursor = page.getString("next");
            pages++;
        } while (cursor != null);
        assertEquals(PEERS + 1, seen.size(), "every conversation listed: " + seen);
        assertTrue(pages >= 2, "several pages: " + pages);
    }

    @Test
    @Order(Integer.MAX_VALUE) // its live messages come after what the other tests read
    void theStreamReplaysEverythingInBatchesAndThenGoesLive() throws Exception {
        Device reader = b.get(1);
        Device sender = a.get(0);
        String to = b.get(0).number();
        JsonObject first = gw.get("/v1/sync?limit=1000&since=0", reader.token()).json();
        assertTrue(first.getBoolean("hasMore"), "one sync page cannot hold B's log: the replay must take several batches");
        long firstPage = first.getJsonArray("events").size();
        EventRecorder recorder = new EventRecorder();
        try (SyncStream stream = reader.client().stream(CursorStore.inMemory(0), recorder)) {
            stream.start();
            recorder.await(MESSAGES + " encrypted messages replayed", WAIT, r -> r.count(E2eeLargePagesTest::created) >= MESSAGES);
            // Live, after the replay: a few more large messages at once.
            int overhead = seal(sender, to, targets(gw, sender, to), "").ciphertext().length;
            List<String> live = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String text = largeText(2000 + i, EncryptedMessage.MAX_CIPHERTEXT - overhead);
                assertEquals(202, send(gw, sender, body(to, seal(sender, to, targets(gw, sender, to), text))).status());
                live.add(text);
            }
            recorder.await("the live ones too", WAIT, r -> r.count(E2eeLargePagesTest::created) == MESSAGES + live.size());
            List<SyncEvent> events = recorder.events();
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i + 1, events.get(i).seq(), "every event once, in order");
            }
            assertTrue(events.size() > firstPage, "replayed past the first page");
            List<String> read = new ArrayList<>();
            for (SyncEvent e : events) {
                if (created(e)) {
                    read.add(open(new JsonObject(e.data().toString()), reader, sender));
                }
            }
            List<String> expected = new ArrayList<>(texts);
            expected.addAll(live);
            assertEquals(expected, read);
            assertNull(recorder.disconnectCause(), "the stream stayed up");
            assertFalse(recorder.connects() > 1, "one connection did it all");
        }
    }

    private static boolean created(SyncEvent e) {
        return e.type().equals("message.created") && e.data().path("e2ee").asBoolean(false);
    }

    private static JsonObject conversationWith(Device reader, String peer) throws Exception {
        JsonArray list = gw.get("/v1/conversations?peer=" + URLEncoder.encode(peer, StandardCharsets.UTF_8), reader.token()).json()
                .getJsonArray("conversations");
        assertEquals(1, list.size());
        return list.getJsonObject(0);
    }
}
