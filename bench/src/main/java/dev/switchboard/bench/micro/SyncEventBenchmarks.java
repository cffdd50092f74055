package dev.switchboard.bench.micro;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.SyncEvent;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sync events: a message's {@code message.updated} event from the model to the text of its
 * WebSocket frame, the path of every live event ({@code MessageJson.toJson} when the inbox appends
 * it, {@code SyncEvent.toJson} in {@code EventFanout}, {@code JsonObject.encode} in
 * {@code DeviceStream}), and the last step alone, which runs once per connected device. Baseline:
 * Jackson's {@link ObjectMapper} writing the same document held as a plain map.
 */
@State(Scope.Thread)
public class SyncEventBenchmarks {
    private Message message;
    private JsonObject frame;
    private Map<String, Object> plain;
    private ObjectMapper mapper;

    @Setup
    public void setUp() throws JsonProcessingException {
        message = MicroFixtures.deliveredSms();
        frame = MicroFixtures.syncEvent(message).toJson();
        plain = MicroFixtures.plainMap(frame);
        mapper = new ObjectMapper();
        if (!new JsonObject(mapper.writeValueAsString(plain)).equals(frame)) {
            throw new IllegalStateException("the baseline map does not write the same document as the frame");
        }
    }

    /** Model to frame text: what one event costs before fan-out. */
    @Benchmark
    public String syncEventFrame() {
        return new SyncEvent(message.number(), MicroFixtures.SEQ, SyncEvent.MESSAGE_UPDATED, message.updatedAt(),
                MessageJson.toJson(message)).toJson().encode();
    }

    /** The built frame to text: what each connected device costs. */
    @Benchmark
    public String syncEventEncode() {
        return frame.encode();
    }

    /** Baseline: Jackson writes an equivalent plain map (same keys, values and nesting). */
    @Benchmark
    public String jacksonPlainMap() throws JsonProcessingException {
        return mapper.writeValueAsString(plain);
    }
}
