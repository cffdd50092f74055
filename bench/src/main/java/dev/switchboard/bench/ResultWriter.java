package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Writes {@code <scenario>-<date>.json} ({@code <scenario>-quick-<date>.json} for smoke runs) and appends a row to {@code RESULTS.md} in the results folder. */
public final class ResultWriter {
    static final String HEADER = "| date | scenario | run | figure | baseline | ratio | p50 / p99 / p99.9 ms | lost | duplicated | status | machine |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|\n";

    private ResultWriter() {}

    public static String machine() {
        Runtime rt = Runtime.getRuntime();
        return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", " + rt.availableProcessors() + " CPUs, "
                + (rt.maxMemory() >> 20) + " MB heap, Java " + System.getProperty("java.version");
    }

    public static JsonObject toJson(Result r, ZonedDateTime when) {
        return new JsonObject()
                .put("scenario", r.scenario())
                .put("date", when.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("machine", machine())
                .put("quick", r.quick())
                .put("value", round(r.value()))
                .put("unit", r.unit())
                .put("baseline", new JsonObject().put("name", r.baseline().name()).put("value", round(r.baseline().value()))
                        .put("unit", r.baseline().unit()))
                .put("ratio", round(r.ratio()))
                .put("lost", r.lost())
                .put("duplicated", r.duplicated())
                .put("status", r.failed() ? "FAILED" : "OK")
                .put("latencyMs", new JsonObject().put("p50", round(r.latencyMs().p50())).put("p99", round(r.latencyMs().p99()))
                        .put("p999", round(r.latencyMs().p999())))
                .put("details", r.details());
    }

    /** Returns the JSON file written. */
    public static Path write(Result r, Path dir) throws IOException {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Files.createDirectories(dir);
        // A smoke run must not overwrite the day's full run, which is the one that gets committed.
        Path json = dir.resolve(r.scenario() + (r.quick() ? "-quick-" : "-") + LocalDate.now(ZoneOffset.UTC) + ".json");
        Files.writeString(json, toJson(r, now).encodePrettily() + "\n", StandardCharsets.UTF_8);
        Path md = dir.resolve("RESULTS.md");
        if (!Files.exists(md)) {
            Files.writeString(md, "# Benchmark results\n\nAppended by `java -jar bench/target/switchboard-bench.jar`; see docs/BENCHMARKS.md.\n"
                    + "Runs marked `quick` are CI-sized smoke runs, not measurements.\n\n" + HEADER, StandardCharsets.UTF_8);
        }
        String row = String.format(Locale.ROOT, "| %s | %s | %s | %.1f %s | %s %.1f %s | %.2fx | %.1f / %.1f / %.1f | %d | %d | %s | %s |%n",
                now.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16), r.scenario(), r.quick() ? "quick" : "full",
                r.value(), r.unit(), r.baseline().name(), r.baseline().value(), r.baseline().unit(), r.ratio(),
                r.latencyMs().p50(), r.latencyMs().p99(), r.latencyMs().p999(), r.lost(), r.duplicated(),
                r.failed() ? "FAILED" : "OK", machine());
        Files.writeString(md, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return json;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
