package dev.switchboard.bench.fanout;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * CPU counters at one instant: the JVM process, every live Java thread (by id, with its name and the
 * bytes it allocated so far), the JVM's JIT and GC threads, the PostgreSQL server, and the garbage
 * collectors' own counters. Two snapshots make a {@link CpuBreakdown}.
 */
public record CpuSnapshot(long wallNanos, long processCpuNanos, Map<Long, Long> threadCpuNanos,
                          Map<Long, Long> threadAllocatedBytes, Map<Long, String> threadNames,
                          Optional<Map<String, Long>> jvmNativeNanos, OptionalLong postgresCpuNanos, long gcCount,
                          long gcMillis, long jitMillis) {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Fails early where per-thread CPU cannot be measured: the server's share could not be told apart. */
    public static void requireThreadCpu() {
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure per-thread CPU time: the client's CPU cannot be"
                    + " told apart from the gateway's");
        }
        if (!THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
    }

    public static CpuSnapshot take(Optional<PostgresCpu> postgres) {
        long wall = System.nanoTime();
        long process = OS.getProcessCpuTime();
        long[] ids = THREADS.getAllThreadIds();
        long[] cpu = THREADS.getThreadCpuTime(ids);
        long[] allocated = THREADS.isThreadAllocatedMemoryEnabled() ? THREADS.getThreadAllocatedBytes(ids) : new long[ids.length];
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        Map<Long, Long> byThread = new HashMap<>();
        Map<Long, Long> allocatedByThread = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0) {  // -1: the thread ended meanwhile
                byThread.put(ids[i], cpu[i]);
                allocatedByThread.put(ids[i], Math.max(0, allocated[i]));
            }
            if (infos[i] != null) {
                names.put(ids[i], infos[i].getThreadName());
            }
        }
        Optional<Map<String, Long>> jvmNative = JvmNativeThreads.cpuNanos();
        OptionalLong pg = postgres.map(PostgresCpu::cpuNanos).orElse(OptionalLong.empty());
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        return new CpuSnapshot(wall, process, byThread, allocatedByThread, names, jvmNative, pg, gcCount, gcMillis, jitMillis);
    }
}
