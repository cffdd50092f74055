package dev.switchboard.gateway.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Captures what the CLI prints, line by line, so a test can wait for a line a running command prints. */
final class Lines extends OutputStream {
    private static final long WAIT_SECONDS = 30;

    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String line = current.toString(StandardCharsets.UTF_8);
            current.reset();
            unread.add(line);
            all.add(line);
        } else {
            current.write(b);
        }
    }

    /** The next line not yet taken, waiting up to 30 s for it. */
    String next() throws InterruptedException {
        String line = unread.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no further output; so far: " + all());
        }
        return line;
    }

    /** Takes lines until one matches, and returns it. */
    String nextMatching(String what, Predicate<String> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            String line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line with " + what + "; so far: " + all());
            }
            if (condition.test(line)) {
                return line;
            }
        }
    }

    /** Every complete line printed so far. */
    synchronized List<String> all() {
        return List.copyOf(all);
    }
}
