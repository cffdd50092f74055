package dev.switchboard.bench;

import dev.switchboard.bench.fanout.ClientThreads;
import dev.switchboard.bench.fanout.CpuBreakdown;
import dev.switchboard.bench.fanout.CpuSnapshot;
import dev.switchboard.bench.fanout.DeviceStreams;
import dev.switchboard.bench.fanout.FanoutDevice;
import dev.switchboard.bench.fanout.Ledger;
import dev.switchboard.bench.fanout.PostgresCpu;
import dev.switchboard.bench.fanout.SealingAlone;
import dev.switchboard.bench.support.BenchDatabase;
import dev.switchboard.bench.support.BenchGateway;
import dev.switchboard.bench.support.BenchGateway.BenchDevice;
import dev.switchboard.bench.support.Percentiles;
import dev.switchboard.client.E2eeSender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end encrypted messages between two numbers served by this gateway, each with a primary and
 * four companions, all ten devices on the WebSocket stream. A few devices of both numbers send with
 * the client's {@link E2eeSender} (sealed to every device of both numbers, the sender included) as
 * fast as the gateway accepts; every device decrypts what it receives. Figures: accepted messages per
 * second end to end (until every device read them) and the server's CPU per message (gateway JVM
 * minus the client threads, plus PostgreSQL). Baseline, same run: the same sealing alone, no server.
 */
final class Fanout implements Scenario {
    private static final String A = "+390620900001";
    private static final String B = "+390620900002";

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public String description() {
        return "E2EE messages between 2 numbers x 5 streamed devices vs the same sealing alone"
                + " (--senders, --seconds, --warmup-seconds, --seal-seconds, --decrypt-threads, --text-length, --companions, --pool)";
    }

    private record Setup(int senders, int seconds, int warmup, int sealSeconds, int decryptThreads, int textLength,
                         int companions, int poolSize) {
        int devicesPerNumber() {
            return companions + 1;
        }
    }

    /** What the gateway run measured. */
    private record GatewayRun(double rate, long lost, long duplicated, Result.Latency latency, CpuBreakdown cpu,
                              long measuredMessages, List<SealingAlone.Sender> sealers, String sampleText) {}

    @Override
    public Result run(Options o) throws Exception {
        Setup s = new Setup(o.integer("senders", 2, 4), o.integer("seconds", 2, 30), o.integer("warmup-seconds", 1, 10),
                o.integer("seal-seconds", 1, 5), o.integer("decrypt-threads", 2, 2), o.integer("text-length", 100, 100),
                o.integer("companions", 4, 4), o.integer("pool", 8, 16));
        if (s.companions() < 1 || s.companions() > 4 || s.senders() < 1 || s.senders() > 2 * s.devicesPerNumber()) {
            throw new IllegalArgumentException("--companions must be 1..4 and --senders 1.." + 2 * s.devicesPerNumber());
        }
        CpuSnapshot.requireThreadCpu();
        ClientThreads threads = new ClientThreads();
        JsonObject details = new JsonObject().put("numbers", 2).put("devicesPerNumber", s.devicesPerNumber())
                .put("senders", s.senders()).put("seconds", s.seconds()).put("warmupSeconds", s.warmup())
                .put("decryptThreads", s.decryptThreads()).put("textLength", s.textLength()).put("poolSize", s.poolSize())
                .put("target", "none stated by issue 7 for fanout: messages/s against the sealing alone, and server CPU"
                        + " per message against seal CPU per message, are reported as they are");

        GatewayRun run = runGateway(s, threads, details);

        // The baseline, with the gateway and the database stopped: the same sealing, no server.
        progress("sealing alone, 1 thread then %d threads, %d s each", s.senders(), s.sealSeconds());
        SealingAlone sealing = new SealingAlone(run.sealers(), run.sampleText());
        sealing.run(1, 0.25, threads);  // warms the JIT for the two runs below
        SealingAlone.Run single = sealing.run(1, s.sealSeconds(), threads);
        SealingAlone.Run concurrent = sealing.run(s.senders(), s.sealSeconds(), threads);
        details.put("sealingAlone", new JsonObject().put("singleThread", single.json()).put("sameConcurrency", concurrent.json()));

        double serverMicros = run.cpu().serverNanos() / 1e3 / Math.max(1, run.measuredMessages());
        details.put("serverCpuMicrosPerMessage", round(serverMicros))
                .put("sealCpuMicrosPerMessage", round(single.cpuMicrosPerMessage()))
                .put("serverCpuToSealCpu", round2(serverMicros / Math.max(1e-9, single.cpuMicrosPerMessage())))
                .put("ratioToSingleThreadSealing", round2(run.rate() / Math.max(1e-9, single.messagesPerSecond())));
        return new Result(name(), o.quick(), run.rate(), "msg/s",
                new Result.Baseline("sealing alone for " + 2 * s.devicesPerNumber() + " devices, " + s.senders()
                        + " threads, no server", concurrent.messagesPerSecond(), "msg/s"),
                run.lost(), run.duplicated(), run.latency(), details);
    }

    private GatewayRun runGateway(Setup s, ClientThreads threads, JsonObject details) throws Exception {
        long setupStart = System.nanoTime();
        ExecutorService httpExecutor = Executors.newFixedThreadPool(2, threads.factory("http"));
        ExecutorService senderPool = Executors.newFixedThreadPool(s.senders(), threads.factory("sender"));
        try (BenchDatabase db = BenchDatabase.start();
             BenchGateway gateway = BenchGateway.start(db, s.poolSize(), false, Map.of())) {
            progress("enrolling %s and %s with %d companions each", A, B, s.companions());
            Map<String, List<BenchDevice>> enrolled = gateway.enroll(List.of(A, B), s.companions(), 2);

            // HTTP/1.1: plain http with the JDK's default (HTTP/2) would try an h2c upgrade on every connection.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpExecutor).build();
            List<FanoutDevice> devices = new ArrayList<>();
            for (String number : List.of(A, B)) {
                List<BenchDevice> list = enrolled.get(number);
                for (int i = 0; i < list.size(); i++) {
                    String label = (number.equals(A) ? "A" : "B") + i;
                    devices.add(new FanoutDevice(label, list.get(i), gateway.uri(), http,
                            db.dataDir().resolve("fanout-devices").resolve(label)));
                }
            }
            for (FanoutDevice d : devices) {
                d.learn(A, s.devicesPerNumber());
                d.learn(B, s.devicesPerNumber());
            }
            // Senders alternate between the numbers: A0, B0, A1, B1, ...
            List<FanoutDevice> senders = new ArrayList<>();
            List<SealingAlone.Sender> sealers = new ArrayList<>();
            for (int i = 0; i < s.senders(); i++) {
                FanoutDevice d = devices.get((i % 2) * s.devicesPerNumber() + (i / 2));
                senders.add(d);
                String peer = peerOf(d.number());
                sealers.add(new SealingAlone.Sender(d.number(), d.deviceId(), d.keys(), d.learn(d.number(), s.devicesPerNumber()),
                        d.learn(peer, s.devicesPerNumber())));
            }
            Optional<PostgresCpu> postgres = postgres(db);
            details.put("postgresCpuMeasured", postgres.isPresent());

            Ledger ledger = new Ledger(devices.size(), s.textLength());
            try (DeviceStreams streams = new DeviceStreams(threads, s.decryptThreads(), ledger, gateway.httpPort())) {
                for (FanoutDevice d : devices) {
                    streams.connect(d);
                }
                details.put("setupSeconds", round((System.nanoTime() - setupStart) / 1e9));
                details.put("senderDevices", new JsonArray(senders.stream().map(FanoutDevice::label).toList()));

                progress("warm-up: %d s with %d senders", s.warmup(), s.senders());
                sendAll(senderPool, senders, ledger, false, System.nanoTime() + TimeUnit.SECONDS.toNanos(s.warmup()));
                if (!ledger.awaitAllRead(TimeUnit.SECONDS.toNanos(60))) {
                    progress("warm-up messages still unread by some device after 60 s (counted as lost)");
                }

                progress("measuring for %d s with %d senders", s.seconds(), s.senders());
                CpuSnapshot start = CpuSnapshot.take(postgres);
                sendAll(senderPool, senders, ledger, true, start.wallNanos() + TimeUnit.SECONDS.toNanos(s.seconds()));
                boolean drained = ledger.awaitAllRead(TimeUnit.SECONDS.toNanos(30));
                CpuSnapshot end = CpuSnapshot.take(postgres);

                long measured = ledger.acceptedMeasured();
                // End to end: until the last accepted message reached its last device (or the drain gave up).
                long windowEnd = drained ? Math.max(ledger.lastMeasuredCompletion(), ledger.lastMeasuredAccept()) : end.wallNanos();
                double window = (windowEnd - start.wallNanos()) / 1e9;
                double posting = (ledger.lastMeasuredAccept() - start.wallNanos()) / 1e9;
                double rate = window <= 0 ? 0 : measured / window;
                CpuBreakdown cpu = CpuBreakdown.between(start, end, threads);

                long lost = ledger.missingReads();
                long duplicated = ledger.duplicates();
                details.put("measured", new JsonObject().put("acceptedMessages", measured)
                                .put("endToEndSeconds", round(window)).put("postingSeconds", round(posting))
                                .put("acceptedPostsPerSecond", round(posting <= 0 ? 0 : measured / posting))
                                .put("allReadWithin30s", drained))
                        .put("correctness", ledger.json().put("framesReceived", streams.frames())
                                .put("framesNotMessageCreated", streams.otherFrames()))
                        .put("sendToLastDeviceMs", Percentiles.json(ledger.fanoutMicros()))
                        .put("sendToEachDeviceMs", Percentiles.json(ledger.frameMicros()))
                        .put("sendToAcceptedMs", Percentiles.json(ledger.acceptMicros()))
                        .put("cpu", cpu.json(measured).put("method", CPU_METHOD));
                return new GatewayRun(rate, lost, duplicated, Percentiles.ofMicros(ledger.fanoutMicros()), cpu, measured,
                        sealers, ledger.textOf(0));
            }
        } finally {
            senderPool.shutdownNow();
            httpExecutor.shutdownNow();
        }
    }

    private static final String CPU_METHOD = "Over the measured window (first send to the last device read), the gateway"
            + " runs in this JVM: per-thread CPU (ThreadMXBean) of every Java thread, split into client threads known by id"
            + " (sender, HTTP-executor and decrypting pools, the client Vert.x event loops carrying the device WebSockets,"
            + " the JDK HttpClient's threads) and the rest (gatewayThreads); JIT and GC threads from /proc/self/task;"
            + " vmOther = process CPU - Java threads - JIT - GC. server = gatewayThreads + vmOther + GC x the gateway"
            + " threads' share of allocated bytes + PostgreSQL (postmaster and children from /proc). JIT is a warm-up"
            + " cost and left out (serverUpperBound charges JIT and all GC to the server; serverLowerBound counts only"
            + " gatewayThreads + PostgreSQL).";

    /**
     * Runs every sender on its own thread, one message after the other, until {@code deadline}. Each
     * message is registered in the ledger before it is sealed, so its send time includes the sealing,
     * as a user would see it.
     */
    private static void sendAll(ExecutorService pool, List<FanoutDevice> senders, Ledger ledger, boolean measured,
                                long deadline) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(senders.size());
        for (FanoutDevice d : senders) {
            String peer = peerOf(d.number());
            pool.execute(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        Ledger.Outgoing m = ledger.sending(measured);
                        try {
                            E2eeSender.Sent sent = d.sender().send(peer, m.text());
                            ledger.accepted(m.id(), sent.refusals().size(), sent.encrypted());
                        } catch (RuntimeException e) {
                            ledger.failed(m.id(), e);
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()) + 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the senders did not finish");
        }
    }

    private static String peerOf(String number) {
        return number.equals(A) ? B : A;
    }

    /** The database server's CPU meter, found through the process id of one of its backends. */
    private static Optional<PostgresCpu> postgres(BenchDatabase db) throws Exception {
        try (Connection c = db.jdbc(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return PostgresCpu.ofBackend(rs.getLong(1));
        }
    }

    private static void progress(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[fanout] " + format + "%n", args);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
