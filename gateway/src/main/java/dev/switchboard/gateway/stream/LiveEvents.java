package dev.switchboard.gateway.stream;

import dev.switchboard.inbox.model.SyncEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One number's events of one commit, as every stream of that number gets them: the wire JSON and
 * its frame text, encoded once here rather than once per device. It travels on the local event bus
 * as is ({@link Codec} does not copy it), so neither the objects nor the lists may be changed:
 * a stream that needs a different form of an event (a hydrated encrypted message) copies it.
 */
public final class LiveEvents {
    private final List<JsonObject> events;
    private final List<String> frames;

    private LiveEvents(List<JsonObject> events, List<String> frames) {
        this.events = events;
        this.frames = frames;
    }

    /** Events of one number, in seq order. */
    public static LiveEvents of(List<SyncEvent> events) {
        List<JsonObject> json = new ArrayList<>(events.size());
        List<String> frames = new ArrayList<>(events.size());
        for (SyncEvent e : events) {
            JsonObject wire = e.toJson();
            json.add(wire);
            frames.add(wire.encode());
        }
        return new LiveEvents(List.copyOf(json), List.copyOf(frames));
    }

    public List<JsonObject> events() { return events; }

    public int size() { return events.size(); }

    public JsonObject event(int i) { return events.get(i); }

    /** The frame text of event {@code i}: {@code event(i).encode()}, already done. */
    public String frame(int i) { return frames.get(i); }

    /** Local delivery only, without the copy Vert.x makes of JSON bodies for each consumer. */
    static final class Codec implements MessageCodec<LiveEvents, LiveEvents> {
        @Override
        public void encodeToWire(Buffer buffer, LiveEvents events) {
            throw new UnsupportedOperationException("live events stay in this process");
        }

        @Override
        public LiveEvents decodeFromWire(int pos, Buffer buffer) {
            throw new UnsupportedOperationException("live events stay in this process");
        }

        @Override
        public LiveEvents transform(LiveEvents events) { return events; }

        @Override
        public String name() { return "switchboard.live-events"; }

        @Override
        public byte systemCodecID() { return -1; }
    }
}
