package dev.switchboard.bench;

import dev.switchboard.bench.micro.MicroJmh;
import dev.switchboard.bench.micro.MicroReport;
import dev.switchboard.bench.micro.Pairing;
import dev.switchboard.bench.micro.RoundTripChecks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Issue 7 scenario 6: JMH micro benchmarks of the hot pure-CPU paths (GSM 03.38 encode and segment,
 * delivery receipt parsing, sync-event serialization, HPKE seal and open), each beside a physical
 * baseline measured in the same run. Round trips are checked before anything is timed; each failed
 * check counts as one lost. The headline is encode+segment against {@code String.getBytes(US_ASCII)};
 * its latency percentiles come from a second, sample-time run of that benchmark.
 *
 * <p>Options: {@code --forks} (full 1, quick 0: in-process), {@code --warmups} (3 / 1),
 * {@code --iterations} (5 / 1), {@code --iteration-ms} (1000 / 200).
 */
public final class Micro implements Scenario {

    @Override
    public String name() {
        return "micro";
    }

    @Override
    public String description() {
        return "JMH: GSM encode+segment, receipt parsing, sync-event JSON, HPKE seal/open vs JDK/Jackson/JCA baselines";
    }

    @Override
    public Result run(Options options) throws Exception {
        long start = System.nanoTime();
        MicroJmh.Settings settings = MicroJmh.Settings.from(options);

        System.out.println("micro: checking round trips before timing");
        RoundTripChecks.Outcome checks = RoundTripChecks.runAll();
        checks.failures().forEach(f -> System.out.println("micro: CHECK FAILED: " + f));
        System.out.printf(Locale.ROOT, "micro: %d checks, %d failed%n", checks.run(), checks.failures().size());

        int benchmarks = Pairing.PAIRED.size() + Pairing.COMPONENTS.size();
        System.out.printf(Locale.ROOT, "micro: JMH throughput, forks %d, %d x %d ms warm-up, %d x %d ms measured; about %.0f s%n",
                settings.forks(), settings.warmupIterations(), settings.iterationMs(), settings.measurementIterations(),
                settings.iterationMs(), (benchmarks + 1) * settings.secondsPerBenchmark());
        Map<String, RunResult> throughput = MicroJmh.throughput(settings);
        System.out.println("micro: JMH sample time of " + Pairing.HEADLINE.benchmark());
        RunResult sampled = MicroJmh.sampleTime(settings, Pairing.HEADLINE.benchmark());

        MicroReport report = new MicroReport(throughput);
        Statistics latency = sampled.getPrimaryResult().getStatistics();
        JsonObject details = new JsonObject()
                .put("headline", Pairing.HEADLINE.what())
                .put("benchmarks", report.paired())
                .put("components", report.components())
                .put("hpkeFixedCost", report.hpkeFixedCost())
                .put("latency", MicroReport.latency(Pairing.HEADLINE.benchmark(), sampled))
                .put("inputs", MicroReport.inputs())
                .put("jmh", new JsonObject().put("forks", settings.forks()).put("warmupIterations", settings.warmupIterations())
                        .put("measurementIterations", settings.measurementIterations()).put("iterationMs", settings.iterationMs())
                        .put("threads", 1).put("mode", "Throughput; the headline also SampleTime")
                        .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")))
                .put("checks", new JsonObject().put("run", checks.run()).put("failed", checks.failures().size())
                        .put("failures", new JsonArray(checks.failures())))
                .put("lostMeans", "round-trip and field checks that failed before timing (decode(encode(x)), segments reassembled by "
                        + "UdhParser + SegmentJoiner, parsed receipt fields, frame JSON parsed back, open(seal(x)))")
                .put("duplicatedMeans", "not applicable: nothing is delivered, always 0")
                .put("target", "issue 7 sets no target for micro; the figures are ratios to physical baselines")
                .put("wallSeconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);

        String headline = Pairing.HEADLINE.benchmark();
        return new Result(name(), options.quick(), report.opsPerSecond(headline), "ops/s (" + headline + ")",
                new Result.Baseline(Pairing.HEADLINE.baselineWhat(), report.opsPerSecond(Pairing.HEADLINE.baseline()), "ops/s"),
                checks.failures().size(), 0,
                new Result.Latency(latency.getPercentile(50) / 1000.0, latency.getPercentile(99) / 1000.0,
                        latency.getPercentile(99.9) / 1000.0),
                details);
    }
}
