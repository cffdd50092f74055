package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyncStreamTest {

    private static final String TOKEN = "device-token";

    private MisbehavingStreamPeer peer;
    private final Recorder recorder = new Recorder();
    private final List<SyncStream> streams = new ArrayList<>();

    @BeforeEach
    void startPeer() throws Exception {
        peer = new MisbehavingStreamPeer();
    }

    @AfterEach
    void stop() throws Exception {
        streams.forEach(SyncStream::close);
        peer.close();
    }

    @Test
    void connectsWithBearerTokenFromTheStoredCursor() throws Exception {
        stream(CursorStore.inMemory(41), recorder);

        MisbehavingStreamPeer.Connection connection = peer.nextConnection();

        assertEquals("/v1/stream?since=41", connection.path);
        assertEquals("Bearer " + TOKEN, connection.headers.get("authorization"));
    }

    @Test
    void deliversEventsInOrderThenSavesTheCursorAndAcks() throws Exception {
        CursorStore cursor = CursorStore.inMemory(0);
        stream(cursor, recorder);
        MisbehavingStreamPeer.Connection connection = peer.nextConnection();

        connection.sendText(event(1));
        connection.sendText(event(2));

        assertEquals(1, recorder.nextEvent().seq());
        assertEquals(2, recorder.nextEvent().seq());
        assertEquals(2, lastAck(connection, 2));
        assertEquals(2, cursor.load());
    }

    @Test
    void skipsEventsAtOrBelowTheCursor() throws Exception {
        stream(CursorStore.inMemory(5), recorder);
        MisbehavingStreamPeer.Connection connection = peer.nextConnection();

        connection.sendText(event(4));
        connection.sendText(event(5));
        connection.sendText(event(6));

        assertEquals(6, recorder.nextEvent().seq());
        assertNull(recorder.events.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void gapDropsTheConnectionAndResumesFromTheCursorWithoutDuplicates() throws Exception {
        stream(CursorStore.inMemory(0), recorder);
        MisbehavingStreamPeer.Connection first = peer.nextConnection();
        first.sendText(event(1));
        first.sendText(event(3));

        MisbehavingStreamPeer.Connection second = peer.nextConnection();
        assertEquals("/v1/stream?since=1", second.path);
        second.sendText(event(1));
        second.sendText(event(2));
        second.sendText(event(3));

        assertEquals(List.of(1L, 2L, 3L), List.of(recorder.nextEvent().seq(), recorder.nextEvent().seq(),
                recorder.nextEvent().seq()));
        assertTrue(recorder.disconnects.poll(10, TimeUnit.SECONDS).getMessage().contains("gap"));
        assertNull(recorder.events.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void reconnectsAfterTheConnectionDrops() throws Exception {
        SyncStream stream = stream(CursorStore.inMemory(0), recorder);
        MisbehavingStreamPeer.Connection first = peer.nextConnection();
        first.sendText(event(1));
        assertEquals(1, recorder.nextEvent().seq());

        first.drop();

        MisbehavingStreamPeer.Connection second = peer.nextConnection();
        assertEquals("/v1/stream?since=1", second.path);
        second.sendText(event(2));
        assertEquals(2, recorder.nextEvent().seq());
        assertTrue(stream.connected());
    }

    @Test
    void connectionDroppedWhileTheListenerIsBusyIsStillNoticed() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder slow = new Recorder() {
            @Override
            public void onEvent(SyncEvent e) {
                if (e.seq() == 1) {
                    busy.countDown();
                    awaitQuietly(release);
                }
                super.onEvent(e);
            }
        };
        stream(CursorStore.inMemory(0), slow);
        MisbehavingStreamPeer.Connection first = peer.nextConnection();
        first.sendText(event(1));
        assertTrue(busy.await(10, TimeUnit.SECONDS));

        first.drop();
        release.countDown();

        MisbehavingStreamPeer.Connection second = peer.nextConnection();
        assertEquals("/v1/stream?since=1", second.path);
    }

    @Test
    void silentConnectionIsDeclaredDeadAndReplaced() throws Exception {
        stream(CursorStore.inMemory(0), recorder);
        MisbehavingStreamPeer.Connection first = peer.nextConnection();
        first.sendText(event(1));
        assertEquals(1, recorder.nextEvent().seq());

        first.stopAnsweringPings();

        MisbehavingStreamPeer.Connection second = peer.nextConnection();
        assertEquals("/v1/stream?since=1", second.path);
        assertTrue(recorder.disconnects.poll(10, TimeUnit.SECONDS).getMessage().contains("no answer"));
    }

    @Test
    void reassemblesFragmentedTextFrames() throws Exception {
        stream(CursorStore.inMemory(0), recorder);
        MisbehavingStreamPeer.Connection connection = peer.nextConnection();

        connection.sendFragmented(event(1, "a fairly long text that arrives in several fragments"), 4);

        SyncEvent event = recorder.nextEvent();
        assertEquals(1, event.seq());
        assertEquals("a fairly long text that arrives in several fragments", event.data().path("text").asText());
    }

    @Test
    void typingFramesGoToOnTypingAndDoNotMoveTheCursor() throws Exception {
        CursorStore cursor = CursorStore.inMemory(0);
        stream(cursor, recorder);
        MisbehavingStreamPeer.Connection connection = peer.nextConnection();

        connection.sendText("{\"type\":\"typing\",\"data\":{\"conversationId\":\"c1\",\"peer\":\"+3911\",\"active\":true}}");
        connection.sendText(event(1));

        assertEquals("c1", recorder.typing.poll(10, TimeUnit.SECONDS).path("conversationId").asText());
        assertEquals(1, recorder.nextEvent().seq());
    }

    @Test
    void listenerFailureRedeliversTheSameEventAfterReconnecting() throws Exception {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        Recorder flaky = new Recorder() {
            @Override
            public void onEvent(SyncEvent e) {
                if (failOnce.getAndSet(false)) {
                    throw new IllegalStateException("listener hiccup");
                }
                super.onEvent(e);
            }
        };
        CursorStore cursor = CursorStore.inMemory(0);
        stream(cursor, flaky);
        peer.nextConnection().sendText(event(1));

        MisbehavingStreamPeer.Connection second = peer.nextConnection();
        assertEquals("/v1/stream?since=0", second.path);
        second.sendText(event(1));

        assertEquals(1, flaky.nextEvent().seq());
        assertEquals(1, lastAck(second, 1), "the ack follows the cursor save");
        assertEquals(1, cursor.load());
    }

    @Test
    void unlinkCloseStopsForGoodWithApiException() throws Exception {
        SyncStream stream = stream(CursorStore.inMemory(0), recorder);
        MisbehavingStreamPeer.Connection connection = peer.nextConnection();
        assertTrue(recorder.connected.poll(10, TimeUnit.SECONDS));

        connection.sendClose(SyncStream.UNLINKED_CLOSE_CODE, "device unlinked");

        Throwable cause = recorder.disconnects.poll(10, TimeUnit.SECONDS);
        SwitchboardApiException unlinked = assertInstanceOf(SwitchboardApiException.class, cause);
        assertEquals(401, unlinked.status());
        assertEquals("unlinked", unlinked.code());
        assertFalse(stream.connected());
        assertNull(peer.connectionWithin(300), "must not reconnect after an unlink");
    }

    @Test
    void rejectedTokenAtHandshakeStopsForGood() throws Exception {
        peer.rejectHandshakesWith(401);
        stream(CursorStore.inMemory(0), recorder);

        peer.nextConnection();

        SwitchboardApiException refused = assertInstanceOf(SwitchboardApiException.class,
                recorder.disconnects.poll(10, TimeUnit.SECONDS));
        assertEquals("unauthorized", refused.code());
        assertNull(peer.connectionWithin(300), "must not retry a refused token");
    }

    @Test
    void otherHandshakeFailuresAreRetried() throws Exception {
        peer.rejectHandshakesWith(503);
        stream(CursorStore.inMemory(0), recorder);
        peer.nextConnection();
        peer.rejectHandshakesWith(0);

        MisbehavingStreamPeer.Connection retried = peer.nextConnection();
        retried.sendText(event(1));

        assertEquals(1, recorder.nextEvent().seq());
    }

    @Test
    void closeSendsNormalClosureAndStopsDelivering() throws Exception {
        SyncStream stream = stream(CursorStore.inMemory(0), recorder);
        MisbehavingStreamPeer.Connection connection = peer.nextConnection();
        assertTrue(recorder.connected.poll(10, TimeUnit.SECONDS));

        stream.close();

        assertEquals(1000, connection.awaitClientClose());
        assertFalse(stream.connected());
        assertNull(peer.connectionWithin(300), "must not reconnect after close()");
    }

    @Test
    void startIsIdempotent() throws Exception {
        SyncStream stream = stream(CursorStore.inMemory(0), recorder);
        stream.start();

        peer.nextConnection();

        assertNull(peer.connectionWithin(300));
    }

    // -----------------------------------------------------------------------------------------

    private SyncStream stream(CursorStore cursor, SyncListener listener) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Millisecond backoff keeps reconnect tests fast (the jitter logic has its own test); a short
        // heartbeat catches the TCP closes the JDK client now and then fails to report.
        SyncStream stream = new SyncStream(http, peer.uri(), TOKEN, cursor, listener,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), new Random(1)), Duration.ofMillis(200));
        streams.add(stream);
        return stream.start();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String event(long seq) {
        return event(seq, "message " + seq);
    }

    private static String event(long seq, String text) {
        return "{\"seq\":" + seq + ",\"type\":\"message.created\",\"at\":\"2026-01-01T10:00:00Z\","
                + "\"data\":{\"id\":\"m" + seq + "\",\"text\":\"" + text + "\"}}";
    }

    /** Reads acks until one for {@code seq} arrives: acks may be coalesced, never reordered. */
    private static long lastAck(MisbehavingStreamPeer.Connection connection, long seq) throws Exception {
        long last = 0;
        while (last < seq) {
            long ack = Json.MAPPER.readTree(connection.nextText()).path("ack").asLong();
            assertTrue(ack > last, "acks must increase");
            last = ack;
        }
        return last;
    }

    private static class Recorder implements SyncListener {

        final BlockingQueue<SyncEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<JsonNode> typing = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> connected = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> disconnects = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(SyncEvent e) {
            events.add(e);
        }

        @Override
        public void onTyping(JsonNode data) {
            typing.add(data);
        }

        @Override
        public void onConnected() {
            connected.add(true);
        }

        @Override
        public void onDisconnected(Throwable cause) {
            disconnects.add(cause);
        }

        SyncEvent nextEvent() throws InterruptedException {
            SyncEvent event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event delivered");
            }
            return event;
        }
    }
}
