package dev.switchboard.bench.micro;

import dev.switchboard.bench.Options;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the micro benchmarks with JMH's {@link Runner}. The benchmark list is generated at compile
 * time into {@code META-INF/BenchmarkList}, which the shaded jar carries, and a forked JVM is
 * started on this JVM's class path, so forks work from {@code java -jar}. Under surefire the class
 * path is a manifest-only jar, so the quick run stays in-process ({@code forks 0}).
 */
public final class MicroJmh {
    private static final String PACKAGE = MicroJmh.class.getPackageName();

    /**
     * @param forks                 JVMs forked per benchmark; 0 runs in this JVM
     * @param warmupIterations      iterations thrown away per fork
     * @param measurementIterations iterations measured per fork
     * @param iterationMs           length of each iteration
     */
    public record Settings(int forks, int warmupIterations, int measurementIterations, int iterationMs) {

        /** Full: 1 fork, 3 warm-up and 5 measured iterations of 1 s (sized for 2 CPUs); quick: in-process, 1 + 1 of 200 ms. */
        public static Settings from(Options options) {
            return new Settings(options.integer("forks", 0, 1), options.integer("warmups", 1, 3),
                    options.integer("iterations", 1, 5), options.integer("iteration-ms", 200, 1000));
        }

        /** Seconds of warm-up and measurement per benchmark, without JVM start-up. */
        public double secondsPerBenchmark() {
            return Math.max(1, forks) * (warmupIterations + measurementIterations) * iterationMs / 1000.0;
        }
    }

    private MicroJmh() {
    }

    /** Throughput (ops/s) of every benchmark in the package, keyed {@code Class.method}. */
    public static Map<String, RunResult> throughput(Settings settings) throws RunnerException {
        ChainedOptionsBuilder options = base(settings).include("^" + Pattern.quote(PACKAGE + ".") + ".*")
                .mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS);
        return byName(new Runner(options.build()).run());
    }

    /** Per-operation sample times of one benchmark ({@code Class.method}), in microseconds. */
    public static RunResult sampleTime(Settings settings, String benchmark) throws RunnerException {
        ChainedOptionsBuilder options = base(settings).include("^" + Pattern.quote(PACKAGE + "." + benchmark) + "$")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.MICROSECONDS);
        Map<String, RunResult> results = byName(new Runner(options.build()).run());
        RunResult result = results.get(benchmark);
        if (result == null) {
            throw new IllegalStateException("JMH returned no sample-time result for " + benchmark + ": " + results.keySet());
        }
        return result;
    }

    private static ChainedOptionsBuilder base(Settings s) {
        return new OptionsBuilder()
                .forks(s.forks())
                .warmupIterations(s.warmupIterations())
                .warmupTime(TimeValue.milliseconds(s.iterationMs()))
                .measurementIterations(s.measurementIterations())
                .measurementTime(TimeValue.milliseconds(s.iterationMs()))
                .threads(1)
                // A benchmark that throws must fail the run, not drop out of the table unnoticed.
                .shouldFailOnError(true);
    }

    private static Map<String, RunResult> byName(Collection<RunResult> results) {
        Map<String, RunResult> map = new HashMap<>();
        for (RunResult r : results) {
            map.put(r.getParams().getBenchmark().substring(PACKAGE.length() + 1), r);
        }
        return map;
    }
}
