package dev.switchboard.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Collects what a device's sync stream delivers, and lets a test wait for a condition on it. */
public final class EventRecorder implements SyncListener {
    private final List<SyncEvent> events = new ArrayList<>();
    private final List<JsonNode> typing = new ArrayList<>();
    private Throwable disconnectCause;
    private int connects;

    @Override
    public synchronized void onEvent(SyncEvent e) {
        events.add(e);
        notifyAll();
    }

    @Override
    public synchronized void onTyping(JsonNode data) {
        typing.add(data);
        notifyAll();
    }

    @Override
    public synchronized void onConnected() {
        connects++;
        notifyAll();
    }

    @Override
    public synchronized void onDisconnected(Throwable cause) {
        disconnectCause = cause;
        notifyAll();
    }

    public synchronized List<SyncEvent> events() { return List.copyOf(events); }

    public synchronized List<JsonNode> typing() { return List.copyOf(typing); }

    public synchronized Throwable disconnectCause() { return disconnectCause; }

    public synchronized int connects() { return connects; }

    /** Waits until the condition holds on this recorder, failing the test after the timeout. */
    public synchronized void await(String what, Duration timeout, Predicate<EventRecorder> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; have " + events.size() + " events");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public synchronized long count(Predicate<SyncEvent> p) { return events.stream().filter(p).count(); }
}
