package dev.switchboard.bench.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every device on {@code /v1/stream?since=0}, read as a client reads it: each {@code message.created}
 * frame is timestamped on arrival (on the client's event loop), then parsed and decrypted with the
 * device's {@link dev.switchboard.client.MessageDecryptor} on a pool of decrypting threads, so that
 * decrypting never holds up the reading of other frames, and handed to the {@link Ledger}.
 *
 * <p>The client runs on a Vert.x instance of its own (not the gateway's); its event loop threads
 * register themselves with {@link ClientThreads} on every callback, so their CPU counts as the client's.
 */
public final class DeviceStreams implements AutoCloseable {
    public static final String ROLE_STREAM = "stream-io";
    public static final String ROLE_DECRYPT = "decrypt";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final WebSocketClient client;
    private final ExecutorService decrypting;
    private final ClientThreads threads;
    private final Ledger ledger;
    private final int port;
    private final List<WebSocket> sockets = new ArrayList<>();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong otherFrames = new AtomicLong();

    public DeviceStreams(ClientThreads threads, int decryptThreads, Ledger ledger, int port) {
        this.threads = threads;
        this.ledger = ledger;
        this.port = port;
        // Two event loops are plenty for ten sockets; fewer threads, less noise on a 2-CPU machine.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(64));
        this.decrypting = Executors.newFixedThreadPool(decryptThreads, threads.factory(ROLE_DECRYPT));
    }

    /** Connects {@code device} and starts reading (and decrypting) its frames. */
    public void connect(FanoutDevice device) throws Exception {
        WebSocket socket = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                        .setURI("/v1/stream?since=0").addHeader("Authorization", "Bearer " + device.token()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        socket.textMessageHandler(text -> {
            long arrival = System.nanoTime();
            threads.registerCurrent(ROLE_STREAM);
            frames.incrementAndGet();
            decrypting.execute(() -> decrypt(device, text, arrival));
        });
        sockets.add(socket);
    }

    private void decrypt(FanoutDevice device, String text, long arrival) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            otherFrames.incrementAndGet();
            return;
        }
        if (!"message.created".equals(frame.path("type").asText())) {
            otherFrames.incrementAndGet();
            return;
        }
        ledger.read(device.label(), device.read(), device.decryptor().decrypt(frame.path("data")), arrival);
    }

    /** Frames received on all sockets, and those that were not {@code message.created}. */
    public long frames() {
        return frames.get();
    }

    public long otherFrames() {
        return otherFrames.get();
    }

    @Override
    public void close() throws Exception {
        for (WebSocket s : sockets) {
            s.close();
        }
        decrypting.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
