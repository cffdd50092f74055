package dev.switchboard.bench.idle;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What this JVM holds, read from the JVM and from Linux's {@code /proc/self}: live heap after full
 * collections, resident memory, a class histogram, and the open-file limit that caps how many
 * sockets the process can hold.
 */
public final class ProcessMemory {
    private static final int GC_ROUNDS = 3;

    private ProcessMemory() {}

    /**
     * A moment's figures: live heap (after full GCs), the heap the JVM has committed (resident once
     * touched, whether live or not), resident set, and the live-object histogram.
     */
    public record Snapshot(long heapUsed, long heapCommitted, long rss, ClassHistogram histogram) {}

    public static Snapshot snapshot() {
        long heap = usedHeapAfterFullGc();
        long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long rss = residentBytes();
        return new Snapshot(heap, committed, rss, ClassHistogram.take());
    }

    /**
     * Used heap after {@value #GC_ROUNDS} explicit full collections. Explicit GCs are what we want
     * here: the figure is what the live objects need, not what garbage happens to be lying around.
     */
    public static long usedHeapAfterFullGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** {@code VmRSS} of this process in bytes (Linux); -1 where {@code /proc} is not there. */
    public static long residentBytes() {
        return statusField("VmRSS:");
    }

    private static long statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The process's open-file limits and how many descriptors it has open now. */
    public record FdLimits(long soft, long hard, int open) {}

    /** Reads {@code Max open files} from {@code /proc/self/limits}; unlimited or unreadable reads as Long.MAX_VALUE. */
    public static FdLimits fdLimits() {
        long soft = Long.MAX_VALUE;
        long hard = Long.MAX_VALUE;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    soft = parse(parts[0]);
                    hard = parse(parts[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: no known limit, the requested size stands.
        }
        return new FdLimits(soft, hard, openFds());
    }

    private static long parse(String limit) {
        return limit.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(limit);
    }

    /** Descriptors this process has open now ({@code /proc/self/fd}); -1 where that is not readable. */
    public static int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The local port range of Linux ({@code ip_local_port_range}): every client socket to one server needs one. */
    public static int ephemeralPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Runs a diagnostic command of this JVM (as {@code jcmd} would), e.g. {@code gcClassHistogram}. */
    static String diagnosticCommand(String operation) {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    operation, new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("diagnostic command " + operation + " failed", e);
        }
    }
}
