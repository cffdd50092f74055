package dev.switchboard.bench;

/**
 * What a scenario measured: its figure, the baseline measured in the same run, the correctness
 * counters and latency percentiles (milliseconds). {@code details} holds scenario-specific figures.
 */
public record Result(String scenario, boolean quick, double value, String unit, Baseline baseline, long lost, long duplicated,
                     Latency latencyMs, io.vertx.core.json.JsonObject details) {
    public record Baseline(String name, double value, String unit) {}

    public record Latency(double p50, double p99, double p999) {}

    public double ratio() {
        return baseline.value() == 0 ? 0 : value / baseline.value();
    }

    public boolean failed() {
        return lost > 0 || duplicated > 0;
    }
}
