package dev.switchboard.bench.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final long ticksPerSecond;

    private PostgresCpu(long postmasterPid, long ticksPerSecond) {
        this.postmasterPid = postmasterPid;
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * The postmaster is the parent of any backend: {@code backendPid} comes from
     * {@code SELECT pg_backend_pid()}. Empty where {@code /proc} cannot be read.
     */
    public static Optional<PostgresCpu> ofBackend(long backendPid) {
        Optional<long[]> stat = stat(backendPid);
        if (stat.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresCpu(stat.get()[0], clockTicks()));
    }

    public long postmasterPid() {
        return postmasterPid;
    }

    /** Total CPU nanoseconds of the server so far, or empty when it cannot be read. */
    public OptionalLong cpuNanos() {
        Optional<long[]> self = stat(postmasterPid);
        if (self.isEmpty()) {
            return OptionalLong.empty();
        }
        long[] s = self.get();
        long ticks = s[1] + s[2] + s[3] + s[4];
        for (ProcessHandle child : ProcessHandle.of(postmasterPid).map(p -> p.children().toList()).orElse(java.util.List.of())) {
            Optional<long[]> c = stat(child.pid());
            if (c.isPresent()) {
                ticks += c.get()[1] + c.get()[2];
            }
        }
        return OptionalLong.of(ticks * 1_000_000_000L / ticksPerSecond);
    }

    /** {ppid, utime, stime, cutime, cstime} of {@code pid} from {@code /proc/<pid>/stat}. */
    private static Optional<long[]> stat(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name is in parentheses and may contain spaces: the fields start after the last ')'.
            String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
            return Optional.of(new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                    Long.parseLong(f[13]), Long.parseLong(f[14])});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** USER_HZ, the unit of /proc times: {@code getconf CLK_TCK}, 100 when it cannot be asked. */
    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
