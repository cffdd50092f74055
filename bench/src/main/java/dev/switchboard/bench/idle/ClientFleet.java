package dev.switchboard.bench.idle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client processes of one phase: the devices split over child JVMs ({@link IdleClients}, same
 * class path as this process) of at most {@code perChild} sockets each, so that no process needs
 * more descriptors than its limit. Commands and answers go over the children's stdin and stdout.
 */
public final class ClientFleet implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    /** What one device saw: connected, frames of its own event, first arrival (wall clock us), other numbers' events, closed by the server. */
    public record Receipt(int index, boolean connected, int frames, long firstMicros, int misrouted, boolean closedByServer) {}

    /** Sums of the children's connect reports. */
    public record Connected(int ok, int failed, int retried, String firstError) {}

    private record Child(int id, Process process, PrintWriter stdin, BlockingQueue<String> lines, Path report) {}

    private final String label;
    private final List<Child> children;

    private ClientFleet(String label, List<Child> children) {
        this.label = label;
        this.children = children;
    }

    /**
     * Starts the children; each begins connecting its devices to {@code host:port} at once
     * ({@code stream}: {@code /v1/stream?since=<cursor>} with the device's Bearer token; otherwise a
     * bare endpoint), at most {@code inFlight} connects at a time per child.
     */
    public static ClientFleet start(String label, String host, int port, boolean stream, List<IdleDevice> devices, int perChild, int inFlight,
                                    Path dir) throws IOException {
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Child> children = new ArrayList<>();
        ClientFleet fleet = new ClientFleet(label, children);
        try {
            for (int from = 0, id = 0; from < devices.size(); from += perChild, id++) {
                List<IdleDevice> mine = devices.subList(from, Math.min(devices.size(), from + perChild));
                Path file = dir.resolve(label + "-devices-" + id + ".tsv");
                List<String> rows = new ArrayList<>();
                mine.forEach(d -> rows.add(d.index() + "\t" + d.numberIndex() + "\t" + d.since() + "\t" + d.token()));
                Files.write(file, rows, StandardCharsets.UTF_8);
                // About 40 KB per client socket is plenty for Vert.x's client; the rest is the JVM's own.
                long heapMb = 256 + mine.size() / 25;
                Process p = new ProcessBuilder(java, "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                        IdleClients.class.getName(), host, Integer.toString(port), stream ? "stream" : "bare", file.toString(),
                        Integer.toString(inFlight))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Child child = new Child(id, p, new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8), new LinkedBlockingQueue<>(),
                        dir.resolve(label + "-report-" + id + ".tsv"));
                children.add(child);
                Thread reader = new Thread(() -> pump(label, child), "idle-" + label + "-child-" + id);
                reader.setDaemon(true);
                reader.start();
            }
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    private static void pump(String label, Child child) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.process().getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(IdleClients.PROTOCOL)) {
                    child.lines().add(line.substring(IdleClients.PROTOCOL.length()));
                } else if (!line.contains(" INFO ")) {
                    System.err.println("[" + label + " client " + child.id() + "] " + line);
                }
            }
        } catch (IOException e) {
            // The child is gone: EOF below tells whoever waits.
        }
        child.lines().add(EOF);
    }

    public int processes() {
        return children.size();
    }

    /** Waits for every child to have tried all its devices. */
    public Connected awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int ok = 0;
        int failed = 0;
        int retried = 0;
        String firstError = "-";
        for (Child c : children) {
            String[] f = awaitLine(c, "CONNECTED", deadline).split(" ");
            ok += Integer.parseInt(f[1]);
            failed += Integer.parseInt(f[2]);
            retried += Integer.parseInt(f[3]);
            if (firstError.equals("-")) {
                firstError = f[4];
            }
        }
        return new Connected(ok, failed, retried, firstError);
    }

    /** Waits until every child says all its connected devices got their event; false when the time ran out first. */
    public boolean awaitAllReceived(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Child c : children) {
            try {
                awaitLine(c, "ALL_RECEIVED", deadline);
            } catch (IllegalStateException timedOut) {
                return false;
            }
        }
        return true;
    }

    /** Every device's receipt, once each child saw no event for a moment. */
    public List<Receipt> report(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Receipt> all = new ArrayList<>();
        for (Child c : children) {
            c.stdin().println("REPORT " + c.report());
        }
        for (Child c : children) {
            awaitLine(c, "REPORTED", deadline);
            for (String line : Files.readAllLines(c.report(), StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                all.add(new Receipt(Integer.parseInt(f[0]), f[1].equals("1"), Integer.parseInt(f[2]), Long.parseLong(f[3]),
                        Integer.parseInt(f[4]), f[5].equals("1")));
            }
        }
        return all;
    }

    private String awaitLine(Child c, String prefix, long deadline) throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : c.lines().poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException(label + " client " + c.id() + ": no " + prefix + " in time");
            }
            if (line.equals(EOF)) {
                c.lines().add(EOF);
                throw new IllegalStateException(label + " client " + c.id() + " exited (" + exitCode(c) + ") before " + prefix);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("PROGRESS ")) {
                System.out.println("idle-devices: " + label + " client " + c.id() + ": " + line.substring("PROGRESS ".length()) + " connected");
            } else if (line.startsWith("FAILED")) {
                throw new IllegalStateException(label + " client " + c.id() + ": " + line);
            }
        }
    }

    private static String exitCode(Child c) {
        try {
            return c.process().waitFor(5, TimeUnit.SECONDS) ? "exit " + c.process().exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Tells every child to exit (which closes all its sockets) and waits for it; kills a child that hangs. */
    @Override
    public void close() {
        for (Child c : children) {
            c.stdin().println("EXIT");
        }
        for (Child c : children) {
            try {
                if (!c.process().waitFor(30, TimeUnit.SECONDS)) {
                    c.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.process().destroyForcibly();
            }
        }
    }
}
