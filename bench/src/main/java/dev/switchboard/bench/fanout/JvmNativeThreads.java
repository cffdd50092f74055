package dev.switchboard.bench.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU of this JVM's own threads that are not Java threads (and so not seen by the
 * ThreadMXBean): JIT compilers and garbage collectors, read from {@code /proc/self/task} by thread
 * name (Linux, HotSpot names: {@code C1/C2 CompilerThre...}, {@code GC Thread#n}, {@code G1 ...}).
 */
final class JvmNativeThreads {
    static final String JIT = "jit";
    static final String GC = "gc";

    private JvmNativeThreads() {
    }

    /** Nanoseconds of CPU so far per kind ({@link #JIT}, {@link #GC}); empty when {@code /proc} cannot be read. */
    static Optional<Map<String, Long>> cpuNanos() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return Optional.empty();
        }
        Map<String, Long> byKind = new HashMap<>(Map.of(JIT, 0L, GC, 0L));
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> ProcStat.read(task.resolve("stat")).ifPresent(stat -> {
                String kind = kindOf(stat.comm());
                if (kind != null) {
                    byKind.merge(kind, stat.ownNanos(), Long::sum);
                }
            }));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(byKind);
    }

    private static String kindOf(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return GC;
        }
        return null;
    }
}
