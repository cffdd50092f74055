package dev.switchboard.bench.idle;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern HEAP_RANGE = Pattern.compile("\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");

    private ProcessMemory() {}

    /**
     * A moment's figures: live heap (after full GCs), the heap the JVM has committed, the resident
     * set and the part of it inside the Java heap's address range, and the live-object histogram.
     */
    public record Snapshot(long heapUsed, long heapCommitted, long rss, long heapRss, ClassHistogram histogram) {
        /** Resident memory outside the Java heap: metaspace, code, thread stacks, direct buffers, malloc. */
        public long offHeapRss() {
            return rss - heapRss;
        }
    }

    public static Snapshot snapshot() {
        long heap = usedHeapAfterFullGc();
        long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long[] resident = residentInAndOutOfHeap();
        return new Snapshot(heap, committed, resident[0], resident[1], ClassHistogram.take());
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

    /**
     * {@code {resident bytes, of which inside the Java heap}}, summed from {@code /proc/self/smaps}
     * (the resident set, as {@code VmRSS} counts it) over the heap's reserved address range as
     * {@code GC.heap_info} gives it. Whether heap pages are resident says more about how the
     * collector sized and touched the heap than about what lives in it: the part outside the heap
     * is the one that shows what connections cost natively. {-1, -1} where {@code /proc} is not there.
     */
    public static long[] residentInAndOutOfHeap() {
        Matcher range = HEAP_RANGE.matcher(diagnosticCommand("gcHeapInfo"));
        long heapFrom = range.find() ? Long.parseUnsignedLong(range.group(1), 16) : -1;
        long heapTo = heapFrom < 0 ? -1 : Long.parseUnsignedLong(range.group(2), 16);
        long total = 0;
        long inHeap = 0;
        boolean mappingInHeap = false;
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/smaps"))) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = MAPPING.matcher(line);
                if (m.find()) {
                    long from = Long.parseUnsignedLong(m.group(1), 16);
                    long to = Long.parseUnsignedLong(m.group(2), 16);
                    mappingInHeap = from >= heapFrom && to <= heapTo;
                } else if (line.startsWith("Rss:")) {
                    long bytes = Long.parseLong(line.substring(4).replace("kB", "").trim()) * 1024;
                    total += bytes;
                    inHeap += mappingInHeap ? bytes : 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        return new long[] {total, inHeap};
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
            // readAllLines, not readString: /proc files report size 0 and readString trusts the size.
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
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
