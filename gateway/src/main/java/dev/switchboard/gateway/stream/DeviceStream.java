package dev.switchboard.gateway.stream;

import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.messages.EncryptedPayloads;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's WebSocket. Live events are only a hint: when they continue exactly where the
 * socket stands they are sent as they are, otherwise the socket catches up from the sync log.
 * That keeps replay and live delivery free of gaps and duplicates without coordinating them.
 * All state is touched only on the socket's event loop. Events that carry an end-to-end encrypted
 * message are shared by every device of the number but must show each only its own wrapped key, so
 * they are hydrated for this device ({@link EncryptedPayloads}) before they are sent, live or replayed.
 * A catch-up batch is a sync page: at most {@value #PAGE} events and at most
 * {@link EncryptedPayloads#MAX_PAGE_CIPHERTEXT} of ciphertext (always at least one event); the next
 * batch is read only once the socket's write queue has room again, so a stream holds at most about
 * one batch of ciphertext in memory however far behind the device is.
 * <p>When nothing has been written for {@value #HEARTBEAT_INTERVAL_MS} ms, the stream writes an
 * application-level {@code {"type":"heartbeat"}} text frame (no {@code seq}, never stored), so a
 * client that hears nothing for much longer knows its connection is dead even where WebSocket
 * pings are invisible (browsers) and a half-open TCP connection never reports a close.
 */
final class DeviceStream {
    static final short CLOSE_UNLINKED = 4401;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceStream.class);
    private static final int PAGE = 500;
    private static final long CHECKIN_INTERVAL_MS = 3_600_000;
    /** Idle time after which a heartbeat frame is written (overridable for tests: {@code switchboard.stream.heartbeatMs}). */
    static final long HEARTBEAT_INTERVAL_MS = 20_000;
    static final String HEARTBEAT = new JsonObject().put("type", "heartbeat").encode();

    private final Vertx vertx;
    private final ServerWebSocket ws;
    private final Device device;
    private final SyncLog syncLog;
    private final DeviceService devices;
    private final EncryptedPayloads payloads;

    /** A page of the log as this device sees it. */
    private record Page(List<JsonObject> events, boolean hasMore) {}

    private long lastSent;
    private boolean fetching;
    private boolean behind;
    private boolean closed;
    private boolean waitingForDrain;
    private MessageConsumer<LiveEvents> events;
    private MessageConsumer<JsonObject> typing;
    private long checkinTimer = -1;
    private long ackToStore = -1;
    private boolean storingAck;
    private long heartbeatTimer = -1;
    private long lastWriteNanos = System.nanoTime();

    DeviceStream(Vertx vertx, ServerWebSocket ws, Device device, SyncLog syncLog, DeviceService devices, EncryptedPayloads payloads,
                 long since) {
        this.payloads = payloads;
        this.vertx = vertx;
        this.ws = ws;
        this.device = device;
        this.syncLog = syncLog;
        this.devices = devices;
        this.lastSent = since;
    }

    void start() {
        events = vertx.eventBus().consumer(Addresses.inboxEvents(device.number()), m -> onLive(m.body()));
        typing = vertx.eventBus().consumer(Addresses.typing(device.number()), m -> onTyping(m.body()));
        ws.textMessageHandler(this::onClientFrame);
        ws.closeHandler(v -> stop());
        ws.exceptionHandler(e -> LOG.debug("stream of device {} failed: {}", device.id(), e.toString()));
        if (device.isPrimary()) {
            // An open stream is a check-in: the phone is online even if it sends no requests.
            checkinTimer = vertx.setPeriodic(CHECKIN_INTERVAL_MS, id -> devices.touch(device));
        }
        long heartbeatMs = Math.max(10, Long.getLong("switchboard.stream.heartbeatMs", HEARTBEAT_INTERVAL_MS));
        // Checked twice per interval: the longest silence a client sees is about 1.5 intervals.
        heartbeatTimer = vertx.setPeriodic(Math.max(5, heartbeatMs / 2), id -> heartbeat(heartbeatMs));
        catchUp();
    }

    private void heartbeat(long intervalMs) {
        if (closed || ws.isClosed()) {
            return;
        }
        // A full write queue means frames are on their way: the client is not left in silence.
        if ((System.nanoTime() - lastWriteNanos) / 1_000_000 >= intervalMs && !ws.writeQueueFull()) {
            write(HEARTBEAT);
        }
    }

    private void write(String text) {
        lastWriteNanos = System.nanoTime();
        ws.writeTextMessage(text);
    }

    private void onLive(LiveEvents batch) {
        if (closed) {
            return;
        }
        // A slow client must not grow our memory: while its queue is full, live events wait in the log.
        if (fetching || waitingForDrain || batch.size() == 0 || batch.event(0).getLong("seq") != lastSent + 1) {
            catchUp();
            return;
        }
        if (!EncryptedPayloads.needHydration(batch.events())) {
            for (int i = 0; i < batch.size(); i++) {
                send(batch.event(i), batch.frame(i));
            }
            pausedUntilDrained();
            return;
        }
        if (!EncryptedPayloads.surelyWithinBudget(batch.events())) {
            // Too many encrypted messages to hydrate at once: the log serves them in pages within the budget.
            catchUp();
            return;
        }
        // Hydrating is a query: while it runs this counts as fetching, so later batches wait in the log.
        fetching = true;
        payloads.events(device.id(), batch.events()).onComplete(ar -> {
            fetching = false;
            if (closed) {
                return;
            }
            if (ar.failed()) {
                failed("hydrating live events", ar.cause());
                return;
            }
            ar.result().forEach(this::send);
            if (!pausedUntilDrained() && behind) {
                catchUp();
            }
        });
    }

    private void failed(String what, Throwable cause) {
        LOG.warn("{} for device {} failed; closing its stream so it reconnects: {}", what, device.id(), cause.toString());
        ws.close((short) 1011, "catch-up failed");
    }

    /** When the socket's queue is full, stops sending until it drains, then catches up if anything came meanwhile. */
    private boolean pausedUntilDrained() {
        if (!ws.writeQueueFull()) {
            return false;
        }
        waitingForDrain = true;
        ws.drainHandler(v -> {
            ws.drainHandler(null);
            waitingForDrain = false;
            if (behind) {
                catchUp();
            }
        });
        return true;
    }

    private void catchUp() {
        if (fetching || waitingForDrain) {
            behind = true;
            return;
        }
        fetching = true;
        behind = false;
        syncLog.read(device.number(), lastSent, PAGE)
                .compose(page -> payloads.events(device.id(), page.events().stream().map(e -> e.toJson()).toList())
                        .map(events -> new Page(events, page.hasMore())))
                .onComplete(ar -> {
            fetching = false;
            if (closed) {
                return;
            }
            if (ar.failed()) {
                failed("catch-up", ar.cause());
                return;
            }
            ar.result().events().forEach(this::send);
            behind = behind || ar.result().hasMore();
            if (!pausedUntilDrained() && behind) {
                catchUp();
            }
        });
    }

    private void send(JsonObject event) {
        send(event, null);
    }

    /** Sends the event once, as {@code frame} when it is already encoded. */
    private void send(JsonObject event, String frame) {
        long seq = event.getLong("seq");
        if (seq <= lastSent || closed) {
            return;
        }
        lastSent = seq;
        write(frame != null ? frame : event.encode());
        if (SyncEvent.DEVICE_UNLINKED.equals(event.getString("type"))
                && device.id().equals(event.getJsonObject("data").getString("id"))) {
            closed = true;
            ws.close(CLOSE_UNLINKED, "device unlinked");
        }
    }

    private void onTyping(JsonObject frame) {
        if (!closed && !device.id().equals(frame.getJsonObject("data").getString("deviceId"))) {
            write(frame.encode());
        }
    }

    private void onClientFrame(String text) {
        Long ack;
        try {
            ack = new JsonObject(text).getLong("ack");
        } catch (DecodeException | ClassCastException e) {
            ack = null;
        }
        if (ack == null || ack < 0 || ack > lastSent) {
            LOG.debug("device {} sent an invalid frame; ignored", device.id());
            return;
        }
        ackToStore = Math.max(ackToStore, ack);
        storeAck();
    }

    // One write in flight at most: a device acking every event must not cost one update per event.
    private void storeAck() {
        if (storingAck || ackToStore < 0) {
            return;
        }
        long seq = ackToStore;
        ackToStore = -1;
        storingAck = true;
        devices.acknowledge(device, seq).onComplete(ar -> {
            storingAck = false;
            storeAck();
        });
    }

    private void stop() {
        closed = true;
        if (events != null) {
            events.unregister();
        }
        if (typing != null) {
            typing.unregister();
        }
        if (checkinTimer >= 0) {
            vertx.cancelTimer(checkinTimer);
        }
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
    }
}
