package dev.switchboard.bench;

import dev.switchboard.bench.support.BenchDatabase;
import dev.switchboard.bench.support.BenchGateway;
import dev.switchboard.bench.moingest.LoadPhase;
import dev.switchboard.bench.moingest.SmppLoad;
import dev.switchboard.bench.support.Percentiles;
import dev.switchboard.bench.support.SweepPlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;

/**
 * Inbound SMS (mobile-originated) ingest: ESMEs bound to the gateway's SMPP server submit to the
 * served numbers as fast as they are acknowledged, while every number has two devices on the
 * WebSocket stream. Figure: acknowledged submit_sm per second; latency: submit_sm sent to the
 * frame arriving at a device. Baseline, same run, same database, same Vert.x PG client, same
 * concurrency: one transaction per row, {@code UPDATE ... last_seq = last_seq + 1} then INSERT.
 */
final class MoIngest implements Scenario {
    private static final String UPDATE_SEQ = "UPDATE bench_numbers SET last_seq = last_seq + 1 WHERE number = $1 RETURNING last_seq";
    private static final String INSERT_ROW = "INSERT INTO bench_messages (number, seq, content, created_at) VALUES ($1, $2, $3::jsonb, now())";

    @Override
    public String name() { return "mo-ingest"; }

    @Override
    public String description() {
        return "SMPP submit_sm to N numbers x 2 streamed devices vs one-row-per-transaction inserts "
                + "(--numbers, --binds, --window, --seconds, --pool)";
    }

    /** A device on the stream: which bench messages it saw, and how many twice. */
    private static final class StreamedDevice {
        final String number;
        final String token;
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();
        WebSocket socket;

        StreamedDevice(String number, String token) {
            this.number = number;
            this.token = token;
        }
    }

    @Override
    public Result run(Options o) throws Exception {
        int numberCount = o.integer("numbers", 10, 1000);
        int binds = o.integer("binds", 4, 4);
        int window = o.integer("window", 32, 32);
        int seconds = o.integer("seconds", 3, 30);
        int warmup = o.integer("warmup", 1, 10);
        int sweepSeconds = o.integer("sweep-seconds", 1, 15);
        int poolSize = o.integer("pool", 16, 16);
        List<Integer> sweep = sweepPercents(o.values().getOrDefault("sweep", "25,50,75,100"));
        int concurrency = binds * window;

        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < numberCount; i++) {
            numbers.add(String.format("+3906150%05d", i));
        }
        JsonObject details = new JsonObject().put("numbers", numberCount).put("devicesPerNumber", 2).put("binds", binds)
                .put("window", window).put("warmupSeconds", warmup).put("seconds", seconds).put("sweepSeconds", sweepSeconds)
                .put("poolSize", poolSize);
        try (BenchDatabase db = BenchDatabase.start()) {
            GatewayRun run = runGateway(db, numbers, binds, window, warmup, seconds, sweep, sweepSeconds, poolSize, details);
            double baseline = runBaseline(db, numbers, concurrency, seconds, poolSize, details);
            details.put("targets", targets(run, baseline));
            Result r = new Result(name(), o.quick(), run.max.achievedPerSecond(), "msg/s",
                    new Result.Baseline("one-row-per-transaction (UPDATE numbers.last_seq + INSERT)", baseline, "commits/s"),
                    run.lost, run.duplicated, Percentiles.ofMicros(run.max.deliveryMicros()), details);
            details.put("plot", plot(r, run, o).toString());
            return r;
        }
    }

    private static List<Integer> sweepPercents(String spec) {
        if (spec.equals("none")) {
            return List.of();
        }
        return java.util.Arrays.stream(spec.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** The goals for this scenario, and whether this run met them. */
    private static JsonObject targets(GatewayRun run, double baseline) {
        JsonObject t = new JsonObject();
        t.put("ratioAtLeast1", run.max.achievedPerSecond() >= baseline);
        run.sweep.stream().filter(p -> p.offeredPercent() == 50).findFirst().ifPresent(half ->
                t.put("p99Under50msAtHalfRate", Percentiles.ofMicros(half.deliveryMicros()).p99() < 50)
                        .put("p99AtHalfRateMs", Percentiles.ofMicros(half.deliveryMicros()).p99()));
        return t;
    }

    /** Writes the sweep's plot next to the results: {@code mo-ingest[-quick]-<date>.png}. */
    private static Path plot(Result r, GatewayRun run, Options o) throws IOException {
        List<SweepPlot.Point> points = new ArrayList<>();
        for (LoadPhase p : run.sweep) {
            Result.Latency l = Percentiles.ofMicros(p.deliveryMicros());
            points.add(new SweepPlot.Point(p.offeredPerSecond(), p.achievedPerSecond(), l.p50(), l.p99(), l.p999(), false));
        }
        Result.Latency max = r.latencyMs();
        points.add(new SweepPlot.Point(run.max.achievedPerSecond(), run.max.achievedPerSecond(), max.p50(), max.p99(), max.p999(), true));
        Files.createDirectories(o.resultsDir());
        Path file = o.resultsDir().resolve("mo-ingest" + (o.quick() ? "-quick-" : "-") + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                + ".png");
        SweepPlot.write(file, String.format(java.util.Locale.ROOT, "mo-ingest: submit_sm to device frame (%s)%s", ResultWriter.machine(),
                        o.quick() ? " - smoke run" : ""), "msg/s", points, r.baseline().value(), "one row per transaction");
        return file;
    }

    private record GatewayRun(LoadPhase max, List<LoadPhase> sweep, long lost, long duplicated) {}

    private GatewayRun runGateway(BenchDatabase db, List<String> numbers, int binds, int window, int warmupSeconds, int seconds,
                                  List<Integer> sweepPercents, int sweepSeconds, int poolSize, JsonObject details) throws Exception {
        JsonArray served = new JsonArray();
        numbers.forEach(served::add);
        Map<String, String> env = Map.of("SWITCHBOARD_SMPP_SERVER_ACCOUNTS", new JsonArray().add(new JsonObject()
                        .put("systemId", "bench").put("password", "bench").put("numbers", served).put("throughput", 100_000)).encode(),
                "SWITCHBOARD_SMPP_SERVER_WINDOW", Integer.toString(window));
        Vertx clientVertx = Vertx.vertx();
        List<StreamedDevice> devices = new ArrayList<>();
        List<SMPPSession> sessions = new ArrayList<>();
        try (BenchGateway gateway = BenchGateway.start(db, poolSize, true, env)) {
            URI uri = gateway.uri();
            long setupStart = System.nanoTime();
            gateway.enroll(numbers, 1, 4).values().forEach(list -> list.forEach(d -> devices.add(new StreamedDevice(d.number(), d.token()))));
            for (int b = 0; b < binds; b++) {
                SMPPSession s = new SMPPSession();
                s.setTransactionTimer(30_000);
                s.connectAndBind("127.0.0.1", gateway.smppPort(), new BindParameter(BindType.BIND_TRX, "bench", "bench", "",
                        TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
                sessions.add(s);
            }
            try (SmppLoad load = new SmppLoad(sessions, window, numbers)) {
                // The client's default allows 50 sockets per server; each device holds one.
                WebSocketClient ws = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(devices.size() + 16));
                for (StreamedDevice d : devices) {
                    d.socket = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(uri.getPort())
                                    .setURI("/v1/stream?since=0").addHeader("Authorization", "Bearer " + d.token))
                            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                    d.socket.textMessageHandler(text -> onFrame(d, text, load));
                }
                details.put("setupSeconds", (System.nanoTime() - setupStart) / 1e9);

                // Warm-up: JIT, connection pools and caches, at full speed; checked for loss but not reported.
                LoadPhase warm = LoadPhase.closedLoop("warm-up", warmupSeconds);
                runPhase(load, warm);
                LoadPhase max = LoadPhase.closedLoop("100% (as fast as acknowledged)", seconds);
                runPhase(load, max);
                System.out.printf(java.util.Locale.ROOT, "mo-ingest: maximum rate %.1f msg/s%n", max.achievedPerSecond());
                List<LoadPhase> sweep = new ArrayList<>();
                for (int percent : sweepPercents) {
                    LoadPhase p = LoadPhase.paced(percent, max.achievedPerSecond(), sweepSeconds);
                    runPhase(load, p);
                    System.out.printf(java.util.Locale.ROOT, "mo-ingest: %d%% offered %.1f -> %.1f msg/s, p99 %.1f ms%n", percent,
                            p.offeredPerSecond(), p.achievedPerSecond(), Percentiles.ofMicros(p.deliveryMicros()).p99());
                    sweep.add(p);
                }
                JsonArray phases = new JsonArray().add(warm.toJson()).add(max.toJson());
                sweep.forEach(p -> phases.add(p.toJson()));
                details.put("phases", phases);
                Checks checks = check(db, load, devices, details);
                return new GatewayRun(max, sweep, checks.lost, checks.duplicated);
            }
        } finally {
            for (SMPPSession s : sessions) {
                try {
                    s.unbindAndClose();
                } catch (RuntimeException e) {
                    s.close();
                }
            }
            clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Runs one phase, then waits (up to 30 s) until both devices of every number saw its messages, so phases do not overlap. */
    private static void runPhase(SmppLoad load, LoadPhase phase) throws InterruptedException {
        load.run(phase);
        phase.awaitDelivered(2, java.time.Duration.ofSeconds(30));
    }

    private record Checks(long lost, long duplicated) {}

    /** Every acknowledged message committed exactly once, and seen exactly once by both devices of its number. */
    private static Checks check(BenchDatabase db, SmppLoad load, List<StreamedDevice> devices, JsonObject details) throws Exception {
        Set<Long> acked = load.acknowledged();
        Map<String, List<Long>> expected = new HashMap<>();
        for (long id : acked) {
            expected.computeIfAbsent(load.numberOf(id), k -> new ArrayList<>()).add(id);
        }
        long missingAtDevices = 0;
        for (StreamedDevice d : devices) {
            for (long id : expected.getOrDefault(d.number, List.of())) {
                if (!d.seen.contains(id)) {
                    missingAtDevices++;
                }
            }
        }
        long duplicatesAtDevices = devices.stream().mapToLong(d -> d.duplicates.get()).sum();
        Map<Long, Long> rows = committedBenchMessages(db);
        long missingInDb = 0;
        long duplicatesInDb = 0;
        long committedNotAcked = 0;
        for (long id : acked) {
            long n = rows.getOrDefault(id, 0L);
            if (n == 0) {
                missingInDb++;
            } else if (n > 1) {
                duplicatesInDb += n - 1;
            }
        }
        for (long id : rows.keySet()) {
            if (!acked.contains(id)) {
                committedNotAcked++;
            }
        }
        details.put("ingestTransactions", ingestTransactions(db));
        details.put("acknowledged", acked.size())
                .put("committedRows", rows.values().stream().mapToLong(Long::longValue).sum())
                .put("committedNotAcknowledged", committedNotAcked)
                .put("missingInDatabase", missingInDb).put("duplicatesInDatabase", duplicatesInDb)
                .put("missingAtDevices", missingAtDevices).put("duplicatesAtDevices", duplicatesAtDevices)
                .put("deliveryFrames", devices.stream().mapToLong(d -> d.seen.size()).sum());
        return new Checks(missingInDb + missingAtDevices, duplicatesInDb + duplicatesAtDevices);
    }

    private static final String CREATED = "\"type\":\"message.created\"";
    private static final String INBOUND = "\"direction\":\"in\"";
    private static final String BENCH_TEXT = "\"text\":\"" + SmppLoad.PREFIX;

    /**
     * Finds the bench message id in a frame by scanning its text, not by parsing it: the devices
     * share the gateway's JVM and CPUs, and a full JSON parse per frame cost the load generator a
     * sixth of the process's CPU in a profile. The frames are the gateway's own compact JSON.
     */
    private static void onFrame(StreamedDevice d, String text, SmppLoad load) {
        long now = System.nanoTime();
        int at = text.indexOf(BENCH_TEXT);
        if (at < 0 || !text.contains(CREATED) || !text.contains(INBOUND)) {
            return;
        }
        int from = at + BENCH_TEXT.length();
        int to = from;
        while (to < text.length() && Character.isDigit(text.charAt(to))) {
            to++;
        }
        long id = Long.parseLong(text, from, to, 10);
        if (!d.seen.add(id)) {
            d.duplicates.incrementAndGet();
            return;
        }
        SmppLoad.Sent sent = load.sent(id);
        if (sent != null) {
            sent.phase().delivered((now - sent.nanos()) / 1000, 2);
        }
    }

    /**
     * How many messages each ingest transaction committed: one batch's messages share the
     * transaction's timestamp, so grouping the rows by {@code created_at} recovers the batches.
     */
    private static JsonObject ingestTransactions(BenchDatabase db) throws Exception {
        try (Connection c = db.jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), avg(n), percentile_disc(0.5) WITHIN GROUP (ORDER BY n), max(n)"
                     + " FROM (SELECT count(*) AS n FROM messages WHERE direction = 'in' GROUP BY created_at) batches")) {
            rs.next();
            return new JsonObject().put("transactions", rs.getLong(1)).put("meanMessages", Math.round(rs.getDouble(2) * 10) / 10.0)
                    .put("medianMessages", rs.getLong(3)).put("maxMessages", rs.getLong(4));
        }
    }

    private static Map<Long, Long> committedBenchMessages(BenchDatabase db) throws Exception {
        Map<Long, Long> rows = new HashMap<>();
        try (Connection c = db.jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT content->'parts'->0->>'text', count(*) FROM messages WHERE direction = 'in'"
                     + " AND content->'parts'->0->>'text' LIKE '" + SmppLoad.PREFIX + "%' GROUP BY 1")) {
            while (rs.next()) {
                rows.put(Long.parseLong(rs.getString(1).substring(SmppLoad.PREFIX.length())), rs.getLong(2));
            }
        }
        return rows;
    }

    /**
     * The physical baseline: {@code concurrency} loops, each running one transaction per row
     * (sequence update on the number's row, then the insert) through a Vert.x PG pool of the
     * gateway's size, on the same database, for the same time.
     */
    private static double runBaseline(BenchDatabase db, List<String> numbers, int concurrency, int seconds, int poolSize,
                                      JsonObject details) throws Exception {
        try (Connection c = db.jdbc(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bench_numbers (number TEXT PRIMARY KEY, last_seq BIGINT NOT NULL DEFAULT 0)");
            st.execute("CREATE TABLE bench_messages (number TEXT NOT NULL REFERENCES bench_numbers (number), seq BIGINT NOT NULL,"
                    + " content JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (number, seq))");
            st.execute("INSERT INTO bench_numbers (number) SELECT unnest(ARRAY['" + String.join("','", numbers) + "'])");
        }
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(10_000))
                .connectingTo(db.endpoint().connectOptions()).using(vertx).build();
        try {
            AtomicLong commits = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            AtomicLong nextId = new AtomicLong();
            ConcurrentHistogram micros = new ConcurrentHistogram(3);
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
            CountDownLatch done = new CountDownLatch(concurrency);
            for (int i = 0; i < concurrency; i++) {
                baselineLoop(pool, numbers, deadline, nextId, commits, failures, micros, done);
            }
            if (!done.await(seconds + 120L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("baseline did not finish");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long rows;
            try (Connection c = db.jdbc(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM bench_messages")) {
                rs.next();
                rows = rs.getLong(1);
            }
            details.put("baseline", new JsonObject().put("commits", commits.get()).put("failures", failures.get())
                    .put("rows", rows).put("concurrency", concurrency).put("commitMs", Percentiles.json(micros)));
            if (rows != commits.get()) {
                throw new IllegalStateException("baseline committed " + commits.get() + " but the table holds " + rows);
            }
            return commits.get() / elapsed;
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void baselineLoop(Pool pool, List<String> numbers, long deadline, AtomicLong nextId, AtomicLong commits,
                                     AtomicLong failures, Histogram micros, CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        long id = nextId.getAndIncrement();
        String number = numbers.get((int) (id % numbers.size()));
        long t0 = System.nanoTime();
        pool.withTransaction(c -> c.preparedQuery(UPDATE_SEQ).execute(Tuple.of(number))
                        .compose(rs -> c.preparedQuery(INSERT_ROW).execute(Tuple.of(number, rs.iterator().next().getLong(0),
                                new JsonObject().put("text", SmppLoad.PREFIX + id).encode()))))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        commits.incrementAndGet();
                        micros.recordValue((System.nanoTime() - t0) / 1000);
                    } else {
                        failures.incrementAndGet();
                    }
                    baselineLoop(pool, numbers, deadline, nextId, commits, failures, micros, done);
                });
    }
}
