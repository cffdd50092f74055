package dev.switchboard.bench.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One {@code /proc/<pid>/stat} (or {@code /proc/self/task/<tid>/stat}) line, Linux only: the name,
 * parent and CPU times of a process or thread, in clock ticks ({@link #TICKS_PER_SECOND}).
 */
record ProcStat(String comm, long ppid, long utime, long stime, long cutime, long cstime) {

    /** USER_HZ, the unit of the times: {@code getconf CLK_TCK}, 100 when it cannot be asked. */
    static final long TICKS_PER_SECOND = clockTicks();

    static Optional<ProcStat> read(Path statFile) {
        try {
            String text = Files.readString(statFile);
            // The name is in parentheses and may contain spaces and parentheses: the fields start after the last ')'.
            int open = text.indexOf('(');
            int close = text.lastIndexOf(')');
            String[] f = text.substring(close + 2).trim().split(" ");
            // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
            return Optional.of(new ProcStat(text.substring(open + 1, close), Long.parseLong(f[1]), Long.parseLong(f[11]),
                    Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<ProcStat> ofProcess(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** This process's own CPU (user + system), in nanoseconds. */
    long ownNanos() {
        return toNanos(utime + stime);
    }

    /** The CPU of its children that exited and were waited for, in nanoseconds. */
    long reapedChildrenNanos() {
        return toNanos(cutime + cstime);
    }

    static long toNanos(long ticks) {
        return ticks * 1_000_000_000L / TICKS_PER_SECOND;
    }

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
