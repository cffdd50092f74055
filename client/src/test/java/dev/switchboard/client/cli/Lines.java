package dev.switchboard.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Captures what the CLI prints, line by line, so a test can wait for a line a running command prints. */
final class Lines extends OutputStream {

    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String line = current.toString(StandardCharsets.UTF_8);
            current.reset();
            lines.add(line);
            all.add(line);
        } else {
            current.write(b);
        }
    }

    /** The next line not yet taken, waiting up to 10 s. */
    String next() throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no further output; so far: " + all());
        }
        return line;
    }

    /** Every complete line printed so far. */
    synchronized List<String> all() {
        return List.copyOf(all);
    }

    String text() {
        return String.join("\n", all());
    }
}
