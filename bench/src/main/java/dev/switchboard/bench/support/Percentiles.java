package dev.switchboard.bench.support;

import dev.switchboard.bench.Result;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/** Reads p50/p99/p99.9 in milliseconds from a histogram recorded in microseconds. */
public final class Percentiles {
    private Percentiles() {}

    public static Result.Latency ofMicros(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Result.Latency(0, 0, 0);
        }
        return new Result.Latency(micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getValueAtPercentile(99.9) / 1000.0);
    }

    public static JsonObject json(Histogram micros) {
        Result.Latency l = ofMicros(micros);
        return new JsonObject().put("p50", l.p50()).put("p99", l.p99()).put("p999", l.p999()).put("count", micros.getTotalCount());
    }
}
