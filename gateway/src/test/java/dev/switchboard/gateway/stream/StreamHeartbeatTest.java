package dev.switchboard.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An idle stream writes {@code {"type":"heartbeat"}} frames (no seq), so a client can tell a dead
 * connection by silence; the Java {@link SyncStream} ignores them. The interval is shortened for the
 * test through {@code switchboard.stream.heartbeatMs} (read when a stream opens).
 */
class StreamHeartbeatTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @BeforeAll
    static void shortHeartbeat() {
        System.setProperty("switchboard.stream.heartbeatMs", "200");
    }

    @AfterAll
    static void defaultHeartbeat() {
        System.clearProperty("switchboard.stream.heartbeatMs");
    }

    @Test
    void anIdleStreamSendsHeartbeatsWithoutSeq() throws Exception {
        Device d = gw.primary("+390666670001");
        List<String> frames = new CopyOnWriteArrayList<>();
        WebSocket socket = rawStream(d, frames);
        try {
            awaitHeartbeats(frames, 2);
            assertEquals("{\"type\":\"heartbeat\"}", DeviceStream.HEARTBEAT);
            assertTrue(frames.get(0).contains("\"seq\""), "events first, heartbeats only when idle: " + frames);
        } finally {
            socket.abort();
        }
    }

    @Test
    void theJavaClientIgnoresHeartbeatsAndStillGetsEvents() throws Exception {
        Device primary = gw.primary("+390666670002");
        Device laptop = gw.link(primary, "laptop");
        Device peer = gw.primary("+390666670003");
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = laptop.client().stream(CursorStore.inMemory(0), events)) {
            stream.start();
            events.await("connected", WAIT, r -> r.connects() == 1);
            // A second stream of the same device, opened later with the same interval, sees the heartbeats:
            // by the time it has seen several, the Java client's stream has been sent at least as many.
            List<String> observed = new CopyOnWriteArrayList<>();
            WebSocket observer = rawStream(laptop, observed);
            try {
                awaitHeartbeats(observed, 3);
            } finally {
                observer.abort();
            }
            peer.client().send(primary.number(), "after the heartbeats");
            events.await("the message", WAIT, r -> r.count(e -> e.type().equals("message.created")) == 1);
            assertEquals(1, events.connects(), "heartbeats never break the connection");
            assertNull(events.disconnectCause());
        }
    }

    private static WebSocket rawStream(Device d, List<String> frames) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols(StreamRoute.SUBPROTOCOL, "bearer." + d.token())
                .buildAsync(URI.create("ws://127.0.0.1:" + gw.uri().getPort() + "/v1/stream?since=0"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    private static void awaitHeartbeats(List<String> frames, int count) {
        dev.switchboard.gateway.support.Eventually.await(count + " heartbeats", WAIT,
                () -> frames.stream().filter(DeviceStream.HEARTBEAT::equals).count() >= count);
    }
}
