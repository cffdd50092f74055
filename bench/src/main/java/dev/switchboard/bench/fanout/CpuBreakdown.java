package dev.switchboard.bench.fanout;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU of a measured window went, between two {@link CpuSnapshot}s. The gateway runs in
 * the bench's JVM, so the process CPU is split:
 * <ul>
 *   <li>{@code clientByRole}: the Java threads {@link ClientThreads} knows as client threads
 *       (senders, stream readers, decryptors, HTTP client);</li>
 *   <li>{@code gatewayThreads}: every other Java thread (the gateway's event loops and workers);</li>
 *   <li>{@code jit} and {@code gc}: the JVM's compiler and collector threads ({@code /proc/self/task});</li>
 *   <li>{@code vmOther}: the rest of the process CPU (VM thread, threads that ended in the window).</li>
 * </ul>
 * plus {@code postgres}, the database server's processes. The server's CPU is then
 * <pre>
 *   server     = gatewayThreads + vmOther + gc x (the gateway threads' share of the bytes allocated) + postgres
 *   upperBound = gatewayThreads + vmOther + gc + jit + postgres   (all JVM housekeeping charged to the server)
 *   lowerBound = gatewayThreads + postgres
 * </pre>
 * JIT compilation is a warm-up cost that falls as the run goes on, not a cost per message: it is
 * left out of {@code server} and shown on its own. Where {@code /proc} cannot be read, JIT and GC
 * cannot be told apart and {@code server} is the upper bound.
 */
public record CpuBreakdown(double wallSeconds, long processNanos, Map<String, Long> clientByRole, long gatewayThreadsNanos,
                           Long jitNanos, Long gcNanos, long vmOtherNanos, double gatewayAllocationShare, Long postgresNanos,
                           long gcCount, long gcMillis, long jitMillis) {

    public static CpuBreakdown between(CpuSnapshot start, CpuSnapshot end, ClientThreads client) {
        Map<String, Long> byRole = new TreeMap<>();
        long gatewayThreads = 0;
        long allThreads = 0;
        long gatewayAllocated = 0;
        long allAllocated = 0;
        for (var e : end.threadCpuNanos().entrySet()) {
            long id = e.getKey();
            long cpu = e.getValue() - start.threadCpuNanos().getOrDefault(id, 0L);
            long allocated = end.threadAllocatedBytes().getOrDefault(id, 0L) - start.threadAllocatedBytes().getOrDefault(id, 0L);
            allThreads += cpu;
            allAllocated += allocated;
            var role = client.roleOf(id, end.threadNames().get(id));
            if (role.isPresent()) {
                byRole.merge(role.get(), cpu, Long::sum);
            } else {
                gatewayThreads += cpu;
                gatewayAllocated += allocated;
            }
        }
        long process = end.processCpuNanos() - start.processCpuNanos();
        long nonJava = Math.max(0, process - allThreads);
        Long jit = null;
        Long gc = null;
        long vmOther = nonJava;
        if (start.jvmNativeNanos().isPresent() && end.jvmNativeNanos().isPresent()) {
            jit = delta(start.jvmNativeNanos().get(), end.jvmNativeNanos().get(), JvmNativeThreads.JIT);
            gc = delta(start.jvmNativeNanos().get(), end.jvmNativeNanos().get(), JvmNativeThreads.GC);
            vmOther = Math.max(0, nonJava - jit - gc);
        }
        Long pg = start.postgresCpuNanos().isPresent() && end.postgresCpuNanos().isPresent()
                ? end.postgresCpuNanos().getAsLong() - start.postgresCpuNanos().getAsLong() : null;
        double share = allAllocated <= 0 ? 1 : (double) gatewayAllocated / allAllocated;
        return new CpuBreakdown((end.wallNanos() - start.wallNanos()) / 1e9, process, byRole, gatewayThreads, jit, gc, vmOther,
                share, pg, end.gcCount() - start.gcCount(), end.gcMillis() - start.gcMillis(),
                start.jitMillis() < 0 ? -1 : end.jitMillis() - start.jitMillis());
    }

    private static long delta(Map<String, Long> start, Map<String, Long> end, String kind) {
        return Math.max(0, end.getOrDefault(kind, 0L) - start.getOrDefault(kind, 0L));
    }

    public long clientNanos() {
        return clientByRole.values().stream().mapToLong(Long::longValue).sum();
    }

    private long postgres() {
        return postgresNanos == null ? 0 : postgresNanos;
    }

    /** The headline server CPU: see the class comment. */
    public long serverNanos() {
        if (gcNanos == null) {
            return upperBoundNanos();
        }
        return gatewayThreadsNanos + vmOtherNanos + Math.round(gcNanos * gatewayAllocationShare) + postgres();
    }

    public long upperBoundNanos() {
        return gatewayThreadsNanos + Math.max(0, processNanos - clientNanos() - gatewayThreadsNanos) + postgres();
    }

    public long lowerBoundNanos() {
        return gatewayThreadsNanos + postgres();
    }

    /** Per-message micros of each share, the totals in milliseconds, and how busy the machine's cores were. */
    public JsonObject json(long messages) {
        JsonObject perMessage = new JsonObject()
                .put("server", micros(serverNanos(), messages))
                .put("serverUpperBound", micros(upperBoundNanos(), messages))
                .put("serverLowerBound", micros(lowerBoundNanos(), messages))
                .put("gatewayThreads", micros(gatewayThreadsNanos, messages))
                .put("postgres", postgresNanos == null ? null : micros(postgresNanos, messages))
                .put("gc", gcNanos == null ? null : micros(gcNanos, messages))
                .put("jit", jitNanos == null ? null : micros(jitNanos, messages))
                .put("vmOther", micros(vmOtherNanos, messages))
                .put("client", micros(clientNanos(), messages));
        JsonObject clientRoles = new JsonObject();
        clientByRole.forEach((role, nanos) -> clientRoles.put(role, micros(nanos, messages)));
        perMessage.put("clientByRole", clientRoles);
        return new JsonObject()
                .put("messages", messages)
                .put("wallSeconds", Math.round(wallSeconds * 100) / 100.0)
                .put("microsPerMessage", perMessage)
                .put("totalsMs", new JsonObject().put("process", ms(processNanos)).put("client", ms(clientNanos()))
                        .put("gatewayThreads", ms(gatewayThreadsNanos)).put("jit", jitNanos == null ? null : ms(jitNanos))
                        .put("gc", gcNanos == null ? null : ms(gcNanos)).put("vmOther", ms(vmOtherNanos))
                        .put("postgres", postgresNanos == null ? null : ms(postgresNanos)))
                .put("gatewayShareOfAllocatedBytes", Math.round(gatewayAllocationShare * 1000) / 1000.0)
                .put("coresBusy", wallSeconds <= 0 ? 0 : Math.round((processNanos + postgres()) / 1e9 / wallSeconds * 100) / 100.0)
                .put("gcCollections", gcCount).put("gcPauseMillis", gcMillis).put("jitCompileMillis", jitMillis);
    }

    private static double micros(long nanos, long messages) {
        return messages == 0 ? 0 : Math.round(nanos / 1e3 / messages * 10) / 10.0;
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }
}
