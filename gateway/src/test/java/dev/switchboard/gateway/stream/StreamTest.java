package dev.switchboard.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SwitchboardApiException;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();



    @Test
    void unlinkClosesTheDevicesStreamAndRevokesItsToken() throws Exception {
        Device primary = gw.primary("+390666660001");
        Device laptop = gw.link(primary, "laptop");
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = laptop.client().stream(CursorStore.inMemory(0), events)) {
            stream.start();
            events.await("connected", WAIT, r -> r.connects() == 1);
            primary.client().unlink(laptop.id());
            events.await("the stream to end for good", WAIT, r -> r.disconnectCause() instanceof SwitchboardApiException);
            assertEquals(401, ((SwitchboardApiException) events.disconnectCause()).status());
            assertEquals(1, events.count(e -> e.type().equals("device.unlinked") && e.data().get("id").asText().equals(laptop.id())),
                    "the device hears why before the socket closes");
            assertEquals(401, gw.get("/v1/devices", laptop.token()).status());
        }
    }

    @Test
    void acknowledgedSeqIsStoredAsTheDevicesSyncedSeq() throws Exception {
        Device primary = gw.primary("+390666660006");
        Device laptop = gw.link(primary, "laptop");
        Device peer = gw.primary("+390666660007");
        for (int i = 0; i < 30; i++) {
            peer.client().send(primary.number(), "m" + i);
        }
        long last = primary.client().sync(0, 1000).next();
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = laptop.client().stream(CursorStore.inMemory(0), events)) {
            stream.start();
            events.await("every event", WAIT, r -> !r.events().isEmpty() && r.events().get(r.events().size() - 1).seq() == last);
            dev.switchboard.gateway.support.Eventually.await("the laptop's ack to be stored", WAIT, () -> laptop.client().devices().stream()
                    .anyMatch(d -> d.get("id").asText().equals(laptop.id()) && d.get("syncedSeq").asLong() == last));
        }
        var primaryRow = laptop.client().devices().stream().filter(d -> d.get("id").asText().equals(primary.id())).findFirst().orElseThrow();
        assertEquals(0, primaryRow.get("syncedSeq").asLong(), "the primary never streamed, so it acknowledged nothing");
    }

    @Test
    void typingReachesOtherDevicesAndThePeerButIsNeverStored() throws Exception {
        Device a = gw.primary("+390666660002");
        Device aLaptop = gw.link(a, "laptop");
        Device b = gw.primary("+390666660003");
        var sent = a.client().send(b.number(), "hi");
        EventRecorder laptopEvents = new EventRecorder();
        EventRecorder bEvents = new EventRecorder();
        try (SyncStream l = aLaptop.client().stream(CursorStore.inMemory(0), laptopEvents);
             SyncStream s = b.client().stream(CursorStore.inMemory(0), bEvents)) {
            l.start();
            s.start();
            laptopEvents.await("connected", WAIT, r -> r.connects() == 1 && !r.events().isEmpty());
            bEvents.await("connected", WAIT, r -> r.connects() == 1 && !r.events().isEmpty());
            long seqBefore = a.client().sync(0, 1000).next();
            a.client().typing(sent.conversationId(), true);
            laptopEvents.await("typing on the laptop", WAIT, r -> r.typing().size() == 1);
            bEvents.await("typing at the peer", WAIT, r -> r.typing().size() == 1);
            assertEquals(a.number(), bEvents.typing().get(0).get("peer").asText());
            assertTrue(bEvents.typing().get(0).get("active").asBoolean());
            assertEquals(seqBefore, a.client().sync(0, 1000).next(), "typing is not a sync event");
        }
    }

    @Test
    void streamRejectsMissingTokenAndPlainHttp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI ws = URI.create("ws://127.0.0.1:" + gw.uri().getPort() + "/v1/stream?since=0");
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() { }).join());
        assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
        assertEquals(401, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
        Device d = gw.primary("+390666660004");
        assertEquals(400, gw.get("/v1/stream", d.token()).status());
    }

    @Test
    void cursorBeyondTheLastEventIsRefused() throws Exception {
        Device d = gw.primary("+390666660008");
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + d.token())
                        .buildAsync(URI.create("ws://127.0.0.1:" + gw.uri().getPort() + "/v1/stream?since=999999"), new WebSocket.Listener() { })
                        .join());
        assertEquals(400, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }

    @Test
    void browserCanAuthenticateWithTheBearerSubprotocol() throws Exception {
        Device d = gw.primary("+390666660005");
        HttpClient http = HttpClient.newHttpClient();
        java.util.concurrent.CompletableFuture<String> first = new java.util.concurrent.CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .subprotocols(StreamRoute.SUBPROTOCOL, "bearer." + d.token())
                .buildAsync(URI.create("ws://127.0.0.1:" + gw.uri().getPort() + "/v1/stream?since=0"), new WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        first.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertEquals(StreamRoute.SUBPROTOCOL, socket.getSubprotocol());
        assertTrue(first.get(10, TimeUnit.SECONDS).contains("device.linked"));
        socket.abort();
    }
}
