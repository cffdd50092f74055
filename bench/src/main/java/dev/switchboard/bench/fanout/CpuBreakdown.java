package dev.switchboard.bench.fanout;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU of a measured window went, between two {@link CpuSnapshot}s:
 * <ul>
 *   <li>{@code clientByRole}: the Java threads {@link ClientThreads} knows as client threads
 *       (senders, stream readers, decryptors, HTTP client);</li>
 *   <li>{@code gatewayThreads}: every other Java thread (the gateway's event loops and workers);</li>
 *   <li>{@code jvmNative}: process CPU not on any Java thread still alive at the end (garbage
 *       collection, JIT compilation, other VM threads, and threads that ended during the window);</li>
 *   <li>{@code postgres}: the database server's processes.</li>
 * </ul>
 * The gateway's share is {@code gatewayThreads + jvmNative} (upper bound: the collector also
 * collects the client's garbage, the JIT also compiles the client's code) or {@code gatewayThreads}
 * alone (lower bound); PostgreSQL is added to both.
 */
public record CpuBreakdown(double wallSeconds, long processNanos, Map<String, Long> clientByRole, long gatewayThreadsNanos,
                           long jvmNativeNanos, Long postgresNanos, long gcCount, long gcMillis) {

    public static CpuBreakdown between(CpuSnapshot start, CpuSnapshot end, ClientThreads client) {
        Map<String, Long> byRole = new TreeMap<>();
        long gatewayThreads = 0;
        long allThreads = 0;
        for (var e : end.threadCpuNanos().entrySet()) {
            long delta = e.getValue() - start.threadCpuNanos().getOrDefault(e.getKey(), 0L);
            allThreads += delta;
            var role = client.roleOf(e.getKey(), end.threadNames().get(e.getKey()));
            if (role.isPresent()) {
                byRole.merge(role.get(), delta, Long::sum);
            } else {
                gatewayThreads += delta;
            }
        }
        long process = end.processCpuNanos() - start.processCpuNanos();
        Long pg = start.postgresCpuNanos().isPresent() && end.postgresCpuNanos().isPresent()
                ? end.postgresCpuNanos().getAsLong() - start.postgresCpuNanos().getAsLong() : null;
        return new CpuBreakdown((end.wallNanos() - start.wallNanos()) / 1e9, process, byRole, gatewayThreads,
                Math.max(0, process - allThreads), pg, end.gcCount() - start.gcCount(), end.gcMillis() - start.gcMillis());
    }

    public long clientNanos() {
        return clientByRole.values().stream().mapToLong(Long::longValue).sum();
    }

    public long postgresOrZero() {
        return postgresNanos == null ? 0 : postgresNanos;
    }

    /** Gateway JVM (threads + GC/JIT) + PostgreSQL: the headline server CPU. */
    public long serverNanos() {
        return gatewayThreadsNanos + jvmNativeNanos + postgresOrZero();
    }

    /** Gateway threads + PostgreSQL, leaving GC/JIT out entirely: the lower bound. */
    public long serverLowerBoundNanos() {
        return gatewayThreadsNanos + postgresOrZero();
    }

    /** Per-message micros of each share, and the totals in milliseconds. */
    public JsonObject json(long messages) {
        JsonObject perMessage = new JsonObject()
                .put("server", micros(serverNanos(), messages))
                .put("serverLowerBound", micros(serverLowerBoundNanos(), messages))
                .put("gatewayThreads", micros(gatewayThreadsNanos, messages))
                .put("jvmNative", micros(jvmNativeNanos, messages))
                .put("postgres", postgresNanos == null ? null : micros(postgresNanos, messages))
                .put("client", micros(clientNanos(), messages));
        JsonObject clientRoles = new JsonObject();
        clientByRole.forEach((role, nanos) -> clientRoles.put(role, micros(nanos, messages)));
        perMessage.put("clientByRole", clientRoles);
        double cores = wallSeconds <= 0 ? 0 : (processNanos + postgresOrZero()) / 1e9 / wallSeconds;
        return new JsonObject()
                .put("messages", messages)
                .put("wallSeconds", wallSeconds)
                .put("microsPerMessage", perMessage)
                .put("totalsMs", new JsonObject().put("process", processNanos / 1e6).put("client", clientNanos() / 1e6)
                        .put("gatewayThreads", gatewayThreadsNanos / 1e6).put("jvmNative", jvmNativeNanos / 1e6)
                        .put("postgres", postgresNanos == null ? null : postgresNanos / 1e6))
                .put("coresBusy", Math.round(cores * 100) / 100.0)
                .put("gc", new JsonObject().put("collections", gcCount).put("millis", gcMillis));
    }

    private static double micros(long nanos, long messages) {
        return messages == 0 ? 0 : Math.round(nanos / 1e3 / messages * 10) / 10.0;
    }
}
