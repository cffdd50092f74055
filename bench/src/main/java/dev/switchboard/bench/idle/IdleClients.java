package dev.switchboard.bench.idle;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The device side of idle-devices, run as a child JVM ({@link ClientFleet} starts it): one process
 * can hold only as many sockets as its open-file limit allows, and the gateway's process needs its
 * own descriptors for the other end. Opens one WebSocket per device listed in the device file,
 * leaves them idle, and records for each when its event arrived (wall clock, microseconds since the
 * epoch: the parent compares it with its own wall clock, which is the same kernel clock).
 *
 * <p>Talks to the parent by lines: it prints {@code @@IDLE CONNECTED ok failed retries firstError},
 * {@code @@IDLE PROGRESS n}, {@code @@IDLE ALL_RECEIVED} (every connected device has its event) and
 * {@code @@IDLE REPORTED}; it reads {@code REPORT <file>} (once no event came for a moment, write one
 * line per device) and {@code EXIT}.
 */
public final class IdleClients {
    static final String PROTOCOL = "@@IDLE ";
    /** Text of the event every device waits for: {@code idle-push-<number index>} from the gateway. */
    public static final String MARKER = "idle-push-";
    /** What follows the marker in the one frame the bare baseline server writes to everybody. */
    public static final String ALL = "all";
    private static final int RETRIES = 3;
    private static final long QUIET_BEFORE_REPORT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String host;
    private final int port;
    private final boolean stream;
    private final int inFlight;
    private final List<String[]> devices;
    private final Vertx vertx = Vertx.vertx();
    private final WebSocketClient client;
    private final AtomicIntegerArray open;
    private final AtomicIntegerArray frames;
    private final AtomicIntegerArray misrouted;
    private final AtomicIntegerArray closedByServer;
    private final AtomicLongArray firstMicros;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger();
    private final AtomicBoolean connectingDone = new AtomicBoolean();
    private final AtomicBoolean allReceivedSaid = new AtomicBoolean();
    private final AtomicLong lastEventNanos = new AtomicLong(System.nanoTime());
    private final AtomicReference<String> firstError = new AtomicReference<>("-");

    private IdleClients(String host, int port, boolean stream, int inFlight, List<String[]> devices) {
        this.host = host;
        this.port = port;
        this.stream = stream;
        this.inFlight = inFlight;
        this.devices = devices;
        int n = devices.size();
        // The client's default allows 50 sockets per server; every device holds one.
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(n + 16).setConnectTimeout(60_000));
        this.open = new AtomicIntegerArray(n);
        this.frames = new AtomicIntegerArray(n);
        this.misrouted = new AtomicIntegerArray(n);
        this.closedByServer = new AtomicIntegerArray(n);
        this.firstMicros = new AtomicLongArray(n);
    }

    /** {@code host port stream|bare deviceFile inFlight}; device file lines: {@code index \t numberIndex \t since \t token}. */
    public static void main(String[] args) throws Exception {
        List<String[]> devices = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[3]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                devices.add(line.split("\t"));
            }
        }
        // Loads the JSON codec now: the first event must not wait for class loading.
        new JsonObject("{\"type\":\"message.created\",\"data\":{\"text\":\"" + MARKER + "\"}}").getJsonObject("data").getString("text");
        IdleClients clients = new IdleClients(args[0], Integer.parseInt(args[1]), args[2].equals("stream"), Integer.parseInt(args[4]), devices);
        clients.connectAll();
        clients.serveCommands();
    }

    private static synchronized void say(String line) {
        System.out.println(PROTOCOL + line);
        System.out.flush();
    }

    private void connectAll() {
        for (int i = 0; i < Math.min(inFlight, devices.size()); i++) {
            connectNext();
        }
        if (devices.isEmpty()) {
            connectingDone.set(true);
            say("CONNECTED 0 0 0 -");
        }
    }

    private void connectNext() {
        int i = next.getAndIncrement();
        if (i < devices.size()) {
            connect(i, 0);
        }
    }

    private void connect(int i, int attempt) {
        String[] d = devices.get(i);
        String uri = stream ? "/v1/stream?since=" + d[2] : "/bare";
        client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(uri).addHeader("Authorization", "Bearer " + d[3]))
                .onSuccess(ws -> {
                    open.set(i, 1);
                    ws.textMessageHandler(text -> onFrame(i, text));
                    ws.closeHandler(v -> closedByServer.set(i, 1));
                    int n = connected.incrementAndGet();
                    if (n % 2000 == 0) {
                        say("PROGRESS " + n);
                    }
                    settledOne();
                })
                .onFailure(e -> {
                    if (attempt < RETRIES) {
                        retried.incrementAndGet();
                        connect(i, attempt + 1);
                        return;
                    }
                    failed.incrementAndGet();
                    firstError.compareAndSet("-", e.toString().replace(' ', '_'));
                    settledOne();
                });
    }

    private void settledOne() {
        if (settled.incrementAndGet() == devices.size()) {
            connectingDone.set(true);
            say("CONNECTED " + connected.get() + " " + failed.get() + " " + retried.get() + " " + firstError.get());
        } else {
            connectNext();
        }
    }

    private void onFrame(int i, String text) {
        if (!text.contains(MARKER)) {
            return;  // heartbeats and the other events of the same message
        }
        long now = micros(Instant.now());
        JsonObject frame = new JsonObject(text);
        JsonObject data = frame.getJsonObject("data");
        String body = data == null ? null : data.getString("text");
        if (!"message.created".equals(frame.getString("type")) || body == null || !body.startsWith(MARKER)) {
            return;
        }
        lastEventNanos.set(System.nanoTime());
        if (!body.equals(MARKER + (stream ? devices.get(i)[1] : ALL))) {
            misrouted.incrementAndGet(i);
            return;
        }
        if (frames.getAndIncrement(i) == 0) {
            firstMicros.set(i, now);
            if (received.incrementAndGet() == connected.get() && connectingDone.get() && allReceivedSaid.compareAndSet(false, true)) {
                say("ALL_RECEIVED");
            }
        }
    }

    /** Wall-clock microseconds since the epoch: comparable across processes on one machine (one kernel clock). */
    public static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private void serveCommands() throws IOException, InterruptedException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("REPORT ")) {
                Path file = Path.of(line.substring("REPORT ".length()));
                reportWhenQuiet(file);
            } else if (line.equals("EXIT")) {
                break;
            }
        }
        // Closing the sockets by exiting is what a crowd of devices going away looks like to the server.
        vertx.close().toCompletionStage().toCompletableFuture().join();
        System.exit(0);
    }

    /** Waits until no event came for a moment, so late duplicates are counted, then writes the report. */
    private void reportWhenQuiet(Path file) {
        long quietFor = System.nanoTime() - lastEventNanos.get();
        if (quietFor < QUIET_BEFORE_REPORT_NANOS) {
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(QUIET_BEFORE_REPORT_NANOS - quietFor)), id -> reportWhenQuiet(file));
            return;
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (int i = 0; i < devices.size(); i++) {
                // index, connected, frames of its own event, first arrival (us), frames of other numbers' events, closed by server
                out.println(devices.get(i)[0] + "\t" + open.get(i) + "\t" + frames.get(i) + "\t" + firstMicros.get(i)
                        + "\t" + misrouted.get(i) + "\t" + closedByServer.get(i));
            }
        } catch (IOException e) {
            say("FAILED " + e.toString().replace(' ', '_'));
            return;
        }
        say("REPORTED");
    }
}
