package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live event feed of {@code /v1/stream}, made exactly-once and in-order on top of a socket that
 * can drop at any moment.
 *
 * <p>The gateway's seq is gapless per number, so the stream needs only its cursor (the last seq the
 * listener finished with): a frame at or below it is a replay after a reconnect and is skipped;
 * a frame beyond cursor + 1 means something was lost, so the connection is dropped and resumed from
 * the cursor. The cursor is saved, and acknowledged to the server, only after the listener returns.
 *
 * <p>All state lives on one scheduler thread, which also calls the listener, so listener calls never
 * overlap. Reconnects are timer tasks on that thread, with exponential backoff and jitter (200 ms
 * doubling to 10 s), forever, until {@link #close()} or until the gateway says the device is gone
 * (close code 4401, or a 401 at the handshake).
 *
 * <p>Two JDK 17 WebSocket behaviours shape the reading side. A TCP close that arrives while no frame
 * is requested is never reported, not even after the next request; so instead of one frame at a
 * time the socket is granted a window of {@value #WINDOW} frames up front and one more per frame
 * handled, and demand only runs out when the listener is a full window behind. And now and then a
 * TCP close is not reported at all; so a heartbeat pings every 15 s and treats a failed ping, or
 * three intervals without any frame or pong, as a lost connection.
 */
public final class SyncStream implements AutoCloseable {

    /** The gateway's close code for "this device was unlinked". */
    public static final int UNLINKED_CLOSE_CODE = 4401;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /**
     * Pings find dead connections that were never reported: a half-open TCP connection says
     * nothing, and the JDK client (17) also now and then misses a plain TCP close, after which only
     * a failing ping or missing pongs give it away.
     */
    private static final Duration PING_INTERVAL = Duration.ofSeconds(15);
    private static final int SILENT_PINGS_BEFORE_DEAD = 3;
    /** How many frames the socket may read ahead of the listener. */
    static final int WINDOW = 512;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final HttpClient http;
    private final String streamBase;
    private final String token;
    private final CursorStore cursorStore;
    private final SyncListener listener;
    private final Backoff backoff;
    private final Duration pingInterval;
    private final ScheduledThreadPoolExecutor loop;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean connected;
    private volatile Thread loopThread;

    // Confined to the loop thread.
    private long cursor;
    private Connection current;
    private ScheduledFuture<?> pendingReconnect;
    private boolean stopped;

    SyncStream(HttpClient http, URI server, String token, CursorStore cursorStore, SyncListener listener) {
        this(http, server, token, cursorStore, listener,
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), new Random()), PING_INTERVAL);
    }

    SyncStream(HttpClient http, URI server, String token, CursorStore cursorStore, SyncListener listener,
            Backoff backoff, Duration pingInterval) {
        this.http = http;
        this.streamBase = streamBase(server);
        this.token = token;
        this.cursorStore = cursorStore;
        this.listener = listener;
        this.backoff = backoff;
        this.pingInterval = pingInterval;
        this.loop = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "switchboard-sync-" + THREAD_IDS.incrementAndGet());
            thread.setDaemon(true);
            loopThread = thread;
            return thread;
        });
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop.setRemoveOnCancelPolicy(true);
    }

    /** Connects from the stored cursor. Idempotent: only the first call does anything. */
    public SyncStream start() {
        if (closed.get()) {
            throw new IllegalStateException("sync stream is closed");
        }
        if (started.compareAndSet(false, true)) {
            long from = cursorStore.load();
            onLoop(() -> {
                cursor = from;
                connect();
            });
            long pingMillis = pingInterval.toMillis();
            loop.scheduleWithFixedDelay(() -> guard(this::heartbeat), pingMillis, pingMillis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Whether a WebSocket is open right now (it may still be replaying). */
    public boolean connected() {
        return connected;
    }

    /**
     * Stops for good. When called from outside the listener, no listener method runs after this
     * returns (unless the listener takes longer than a few seconds to return).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onLoop(this::hangUp);
        loop.shutdown();
        if (Thread.currentThread() != loopThread) {
            try {
                loop.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // --- loop-thread handlers ----------------------------------------------------------------

    private void connect() {
        pendingReconnect = null;
        if (closed.get() || stopped) {
            return;
        }
        Connection connection = new Connection();
        current = connection;
        try {
            http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(URI.create(streamBase + "?since=" + cursor), connection)
                    .whenComplete((socket, error) -> {
                        if (error != null) {
                            onLoop(() -> lost(connection, unwrap(error)));
                        }
                    });
        } catch (RuntimeException e) {
            lost(connection, e);
        }
    }

    private void opened(Connection connection, WebSocket socket) {
        connection.socket = socket;
        if (connection != current || closed.get()) {
            socket.abort();
            return;
        }
        connection.openedAt = System.nanoTime();
        connected = true;
        notifyListener(listener::onConnected);
    }

    private void frame(Connection connection, String text) {
        if (connection != current || closed.get()) {
            return;
        }
        JsonNode frame;
        try {
            frame = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            lost(connection, new IllegalStateException("unreadable frame from the gateway", e));
            return;
        }
        JsonNode seqNode = frame.get("seq");
        if (seqNode == null || seqNode.isNull()) {
            // Ephemeral frames: typing notices are passed on; heartbeats (sent by the gateway when the
            // stream is idle) and any other type are ignored.
            if ("typing".equals(frame.path("type").asText())) {
                notifyListener(() -> listener.onTyping(frame.path("data")));
            }
            return;
        }
        long seq = seqNode.asLong();
        if (seq <= cursor) {
            return;
        }
        if (seq != cursor + 1) {
            lost(connection, new IllegalStateException(
                    "gap in the event stream: expected seq " + (cursor + 1) + ", got " + seq + "; resuming"));
            return;
        }
        try {
            listener.onEvent(SyncEvent.fromJson(frame));
        } catch (Throwable e) {
            // The cursor has not moved: the reconnect delivers this event again.
            lost(connection, e);
            return;
        }
        // Move the in-memory cursor first: even if saving fails, this process never redelivers.
        cursor = seq;
        backoff.reset();
        try {
            cursorStore.save(seq);
        } catch (RuntimeException e) {
            lost(connection, e);
            return;
        }
        ack(connection, seq);
    }

    /** One ack in flight at a time (the WebSocket allows no more); later seqs coalesce into the next. */
    private void ack(Connection connection, long seq) {
        connection.ackWanted = seq;
        if (connection.ackInFlight || connection.ended) {
            return;
        }
        long sending = connection.ackWanted;
        connection.ackInFlight = true;
        try {
            connection.socket.sendText("{\"ack\":" + sending + "}", true)
                    .whenComplete((socket, error) -> onLoop(() -> {
                        connection.ackInFlight = false;
                        if (error != null) {
                            lost(connection, unwrap(error));
                        } else if (connection.ackWanted > sending) {
                            ack(connection, connection.ackWanted);
                        }
                    }));
        } catch (RuntimeException e) {
            connection.ackInFlight = false;
            lost(connection, e);
        }
    }

    private void closedByServer(Connection connection, int code, String reason) {
        if (connection != current) {
            return;
        }
        if (code == UNLINKED_CLOSE_CODE) {
            stop(connection, new SwitchboardApiException(401, "unlinked",
                    reason == null || reason.isEmpty() ? "this device was unlinked" : reason));
            return;
        }
        lost(connection, new IllegalStateException("gateway closed the stream with code " + code
                + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")")));
    }

    private void lost(Connection connection, Throwable error) {
        if (connection != current || connection.ended) {
            return;
        }
        Throwable cause = error;
        if (error instanceof WebSocketHandshakeException) {
            int status = ((WebSocketHandshakeException) error).getResponse().statusCode();
            if (status == 401) {
                stop(connection, new SwitchboardApiException(401, "unauthorized", "the gateway refused this device's token"));
                return;
            }
            // Its own message is null; say what the gateway answered instead.
            cause = new IllegalStateException("the gateway answered the stream request with HTTP " + status, error);
        }
        boolean livedLong = connection.openedAt != 0
                && System.nanoTime() - connection.openedAt >= backoff.max().toNanos();
        end(connection);
        if (closed.get()) {
            return;
        }
        Throwable reported = cause;
        notifyListener(() -> listener.onDisconnected(reported));
        if (livedLong) {
            backoff.reset();
        }
        Duration delay = backoff.next();
        pendingReconnect = loop.schedule(() -> guard(this::connect), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stop(Connection connection, SwitchboardApiException reason) {
        end(connection);
        stopped = true;
        if (!closed.get()) {
            notifyListener(() -> listener.onDisconnected(reason));
        }
        loop.shutdown();
    }

    private void end(Connection connection) {
        connection.ended = true;
        current = null;
        connected = false;
        if (connection.socket != null) {
            connection.socket.abort();
        }
    }

    private void hangUp() {
        if (pendingReconnect != null) {
            pendingReconnect.cancel(false);
        }
        Connection connection = current;
        current = null;
        connected = false;
        if (connection == null || connection.socket == null) {
            return;
        }
        connection.ended = true;
        WebSocket socket = connection.socket;
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "")
                    .orTimeout(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ignored, error) -> socket.abort());
        } catch (RuntimeException e) {
            socket.abort();
        }
    }

    private void heartbeat() {
        Connection connection = current;
        if (connection == null || connection.socket == null || connection.ended) {
            return;
        }
        long silentNanos = System.nanoTime() - connection.lastHeard;
        if (silentNanos > pingInterval.toNanos() * SILENT_PINGS_BEFORE_DEAD) {
            lost(connection, new IllegalStateException("no answer from the gateway for "
                    + Duration.ofNanos(silentNanos).toSeconds() + " s"));
            return;
        }
        try {
            connection.socket.sendPing(ByteBuffer.allocate(0)).whenComplete((socket, error) -> {
                if (error != null) {
                    onLoop(() -> lost(connection, unwrap(error)));
                }
            });
        } catch (RuntimeException pingPending) {
            // The previous ping is still being written; silence is measured all the same.
        }
    }

    // --- plumbing ----------------------------------------------------------------------------

    /** Runs on the loop thread; late socket callbacks after close() are dropped here. */
    private void onLoop(Runnable task) {
        try {
            loop.execute(() -> guard(task));
        } catch (RejectedExecutionException afterClose) {
            // Nothing to do: the stream is closed or stopped.
        }
    }

    private static void guard(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A bug in a handler must not kill the loop thread and with it every future reconnect.
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        }
    }

    /** Listener callbacks with nothing to retry: a throwing onTyping/onConnected/onDisconnected is ignored. */
    private void notifyListener(Runnable call) {
        if (closed.get()) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // See above.
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String streamBase(URI server) {
        String text = server.toString();
        String scheme = server.getScheme().toLowerCase(java.util.Locale.ROOT);
        String base = (scheme.equals("https") ? "wss" : "ws") + text.substring(scheme.length());
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/stream";
    }

    /** One WebSocket attempt; frames from an attempt that is no longer current are ignored. */
    private final class Connection implements WebSocket.Listener {

        /** Touched only by the socket's own callbacks, which the JDK never runs concurrently. */
        private final StringBuilder partial = new StringBuilder();
        /** Last sign of life: a frame received or a frame handled (with a full window nothing is read). */
        private volatile long lastHeard = System.nanoTime();
        // Loop-confined.
        private WebSocket socket;
        private long openedAt;
        private boolean ended;
        private boolean ackInFlight;
        private long ackWanted;

        @Override
        public void onOpen(WebSocket webSocket) {
            if (closed.get()) {
                webSocket.abort();
                return;
            }
            onLoop(() -> opened(this, webSocket));
            webSocket.request(WINDOW);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastHeard = System.nanoTime();
            partial.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            String text = partial.toString();
            partial.setLength(0);
            onLoop(() -> {
                try {
                    frame(this, text);
                } finally {
                    // Its slot in the window is free again.
                    lastHeard = System.nanoTime();
                    webSocket.request(1);
                }
            });
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastHeard = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            onLoop(() -> closedByServer(this, statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            onLoop(() -> lost(this, error));
        }
    }
}
