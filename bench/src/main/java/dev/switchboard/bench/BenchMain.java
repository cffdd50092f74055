package dev.switchboard.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code java -jar switchboard-bench.jar <scenario> [--quick] [--key value ...]}. */
public final class BenchMain {
    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        for (Scenario s : new Scenario[] {new MoIngest(), new MtSend(), new InitialSync(), new Fanout(), new IdleDevices(), new Micro()}) {
            SCENARIOS.put(s.name(), s);
        }
    }

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !SCENARIOS.containsKey(args[0])) {
            System.err.println("usage: java -jar switchboard-bench.jar <scenario> [--quick] [--results DIR] [--key value ...]");
            SCENARIOS.values().forEach(s -> System.err.println("  " + s.name() + "  " + s.description()));
            System.exit(2);
        }
        Outcome outcome = run(args);
        System.exit(outcome.result().failed() ? 1 : 0);
    }

    /** A finished run: its result and the JSON file it was written to. */
    public record Outcome(Result result, Path file) {}

    /** Runs a scenario, prints and writes its result; does not exit (the smoke test calls this). */
    public static Outcome run(String... args) throws Exception {
        Scenario scenario = SCENARIOS.get(args[0]);
        if (scenario == null) {
            throw new IllegalArgumentException("unknown scenario " + args[0] + "; known: " + SCENARIOS.keySet());
        }
        Options options = Options.parse(Arrays.asList(args).subList(1, args.length));
        Result r = scenario.run(options);
        Path file = ResultWriter.write(r, options.resultsDir());
        System.out.println();
        System.out.printf(Locale.ROOT, "%s%s%n", r.scenario(), r.quick() ? " (quick smoke run: not a measurement)" : "");
        System.out.printf(Locale.ROOT, "  baseline  %-40s %12.1f %s%n", r.baseline().name(), r.baseline().value(), r.baseline().unit());
        System.out.printf(Locale.ROOT, "  figure    %-40s %12.1f %s%n", r.scenario(), r.value(), r.unit());
        System.out.printf(Locale.ROOT, "  ratio     %.2fx%n", r.ratio());
        System.out.printf(Locale.ROOT, "  latency   p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms%n", r.latencyMs().p50(), r.latencyMs().p99(),
                r.latencyMs().p999());
        System.out.printf(Locale.ROOT, "  lost %d, duplicated %d -> %s%n", r.lost(), r.duplicated(), r.failed() ? "FAILED" : "OK");
        System.out.println("  details " + r.details().encode());
        System.out.println("  written to " + file);
        return new Outcome(r, file);
    }
}
