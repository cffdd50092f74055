package dev.switchboard.bench.fanout;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * CPU time used by the embedded PostgreSQL server, read from {@code /proc} (Linux): the postmaster's
 * own time, the time of its children that exited (its {@code cutime + cstime}) and the time of its
 * live children (backends, WAL writer, checkpointer, autovacuum). It is part of what serving a
 * message costs, but it runs in other processes, so the JVM's process CPU does not include it.
 */
public final class PostgresCpu {
    private final long postmasterPid;

    private PostgresCpu(long postmasterPid) {
        this.postmasterPid = postmasterPid;
    }

    /**
     * The postmaster is the parent of any backend: {@code backendPid} comes from
     * {@code SELECT pg_backend_pid()}. Empty where {@code /proc} cannot be read.
     */
    public static Optional<PostgresCpu> ofBackend(long backendPid) {
        return ProcStat.ofProcess(backendPid).map(backend -> new PostgresCpu(backend.ppid()));
    }

    /** Total CPU nanoseconds of the server so far, or empty when it cannot be read. */
    public OptionalLong cpuNanos() {
        Optional<ProcStat> postmaster = ProcStat.ofProcess(postmasterPid);
        if (postmaster.isEmpty()) {
            return OptionalLong.empty();
        }
        long nanos = postmaster.get().ownNanos() + postmaster.get().reapedChildrenNanos();
        List<ProcessHandle> children = ProcessHandle.of(postmasterPid).map(p -> p.children().toList()).orElse(List.of());
        for (ProcessHandle child : children) {
            nanos += ProcStat.ofProcess(child.pid()).map(ProcStat::ownNanos).orElse(0L);
        }
        return OptionalLong.of(nanos);
    }
}
