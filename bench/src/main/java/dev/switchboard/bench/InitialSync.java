package dev.switchboard.bench;

import dev.switchboard.bench.initialsync.DeviceCheck;
import dev.switchboard.bench.initialsync.EventLogSync;
import dev.switchboard.bench.initialsync.FirstSync;
import dev.switchboard.bench.initialsync.HistorySeeder;
import dev.switchboard.bench.initialsync.PlainQuery;
import dev.switchboard.bench.initialsync.StoredHistory;
import dev.switchboard.bench.initialsync.Tally;
import dev.switchboard.bench.support.BenchDatabase;
import dev.switchboard.bench.support.BenchGateway;
import dev.switchboard.bench.support.BenchGateway.BenchDevice;
import dev.switchboard.bench.support.Percentiles;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.SwitchboardClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A number with a long history (100,000 messages over 1,000 conversations) links a new device,
 * which then syncs everything through the API the way the web inbox does its first sync. Figures:
 * time to the first usable screen (head of the sync log plus the first page of conversations),
 * time to all history (headline, lower is better), bytes transferred. Baseline, same run and
 * database: the same message rows read by one plain query.
 */
final class InitialSync implements Scenario {
    private static final String NUMBER = "+390615100000";
    private static final String ACCOUNT = "bench";
    private static final double FIRST_SCREEN_TARGET_MS = 300;
    private static final double HISTORY_TARGET_RATIO = 2.0;

    @Override
    public String name() { return "initial-sync"; }

    @Override
    public String description() {
        return "a newly linked device syncs a number's whole history (conversations, then every message) vs one plain query "
                + "(--messages, --conversations, --outboundPercent, --conversationPage, --messagePage, --parallel, --rounds, --warmups, --eventPage)";
    }

    @Override
    public Result run(Options o) throws Exception {
        int messages = o.integer("messages", 2_000, 100_000);
        int conversations = o.integer("conversations", 20, 1_000);
        int outboundPercent = o.integer("outboundPercent", 10, 10);
        // The gateway's SMPP server works on 3 submit_sm per bind at a time, each until its commit: more binds
        // fill the group commit, a deeper window only queues PDUs (and the replies' deliver_sm_resp behind them).
        int binds = o.integer("binds", 8, 8);
        int window = o.integer("window", 4, 4);
        int posters = o.integer("posters", 2, 2);
        int conversationPage = o.integer("conversationPage", 50, 50);
        int messagePage = o.integer("messagePage", 200, 200);
        int eventPage = o.integer("eventPage", 1000, 1000);
        int parallel = o.integer("parallel", 1, 1);
        int warmups = o.integer("warmups", 1, 2);
        int rounds = o.integer("rounds", 1, 3);
        if (rounds < 1 || rounds > 4) {
            throw new IllegalArgumentException("--rounds: 1 to 4 (each links one more companion; a number takes 4)");
        }
        int poolSize = o.integer("pool", 16, 16);

        JsonObject details = new JsonObject().put("direction", "lower is better: ratio = time to all history / plain-query time")
                .put("messages", messages).put("conversations", conversations).put("outboundPercent", outboundPercent)
                .put("conversationPage", conversationPage).put("messagePage", messagePage).put("parallel", parallel)
                .put("warmups", warmups).put("rounds", rounds)
                .put("poolSize", poolSize);
        Map<String, String> env = Map.of("SWITCHBOARD_SMPP_SERVER_ACCOUNTS", new JsonArray().add(new JsonObject()
                .put("systemId", ACCOUNT).put("password", ACCOUNT).put("numbers", new JsonArray().add(NUMBER))
                .put("prefixes", new JsonArray().add(HistorySeeder.peerPrefix())).put("throughput", 100_000)).encode());
        try (BenchDatabase db = BenchDatabase.start(); BenchGateway gateway = BenchGateway.start(db, poolSize, true, env)) {
            BenchDevice primary = gateway.enroll(List.of(NUMBER), 0, 1).get(NUMBER).get(0);

            System.out.printf(Locale.ROOT, "initial-sync: seeding %,d messages over %,d conversations (%d%% replies)%n",
                    messages, conversations, outboundPercent);
            HistorySeeder.Seeded seeded = new HistorySeeder(NUMBER, messages, conversations, outboundPercent, binds, window, posters)
                    .seed("127.0.0.1", gateway.smppPort(), ACCOUNT, ACCOUNT, gateway.client(primary), () -> outboxRows(db));
            // A history that grew over months has been vacuumed and analysed; one just loaded has not.
            long vacuumStart = System.nanoTime();
            vacuumAnalyze(db);
            double vacuumSeconds = (System.nanoTime() - vacuumStart) / 1e9;
            StoredHistory stored = StoredHistory.load(db, NUMBER);
            details.put("seeding", new JsonObject().put("seconds", seeded.seconds())
                    .put("messagesPerSecond", (seeded.inbound() + seeded.outbound()) / seeded.seconds())
                    .put("inboundOverSmpp", seeded.inbound()).put("repliesOverHttp", seeded.outbound())
                    .put("repliesDeliveredAsDeliverSm", seeded.repliesDelivered())
                    .put("repliesDeliveredTwice", seeded.repliesDeliveredTwice()).put("refused", seeded.refused())
                    .put("outboxLeft", seeded.outboxLeft()).put("vacuumAnalyzeSeconds", vacuumSeconds).put("storedMessages", stored.textById().size())
                    .put("storedConversations", stored.conversationIds().size()));
            System.out.printf(Locale.ROOT, "initial-sync: seeded %,d messages in %.1f s%n",
                    stored.textById().size(), seeded.seconds());

            // A gateway in service is warm: other devices read histories all the time. The primary syncs the
            // same way first (JIT and caches); the first of these is what a just-started gateway would give.
            JsonArray warmupMs = new JsonArray();
            for (int i = 0; i < warmups; i++) {
                FirstSync.Outcome w = new FirstSync(gateway.uri(), primary.token(), conversationPage, messagePage, parallel).run();
                warmupMs.add(new JsonObject().put("firstScreenMs", w.firstScreenNanos() / 1e6).put("allHistoryMs", w.allHistoryNanos() / 1e6));
                System.out.printf(Locale.ROOT, "initial-sync: warm-up sync by the primary: all history %.1f ms%n", w.allHistoryNanos() / 1e6);
            }
            details.put("warmupSyncsByPrimary", warmupMs);

            try (PlainQuery plain = new PlainQuery(db.endpoint())) {
                // Warms the same pages of the database the sync reads, so neither side pays for a cold cache alone.
                PlainQuery.Read warmup = plain.read(NUMBER);
                Rounds r = new Rounds();
                DeviceCredentials device = null;
                for (int round = 0; round < rounds; round++) {
                    // Each round: plain query, a newly linked device's sync, plain query again. Interleaved, so a
                    // burst of load from elsewhere on the machine hits both sides, and the medians compare like with like.
                    PlainQuery.Read before = plain.read(NUMBER);
                    long linkStart = System.nanoTime();
                    device = link(gateway, primary, round);
                    double linkMs = (System.nanoTime() - linkStart) / 1e6;
                    FirstSync.Outcome sync = new FirstSync(gateway.uri(), device.token(), conversationPage, messagePage, parallel).run();
                    PlainQuery.Read after = plain.read(NUMBER);
                    r.add(sync, DeviceCheck.of(stored, seeded, sync), before, after, linkMs);
                    System.out.printf(Locale.ROOT, "initial-sync: round %d: first screen %.1f ms, all history %.1f ms, plain query %.1f / %.1f ms%n",
                            round + 1, sync.firstScreenNanos() / 1e6, sync.allHistoryNanos() / 1e6, before.nanos() / 1e6, after.nanos() / 1e6);
                }
                for (long rows : r.baselineRows) {
                    if (rows != stored.textById().size()) {
                        throw new IllegalStateException("the plain query read " + rows + " rows, the number holds " + stored.textById().size());
                    }
                }
                EventLogSync.Outcome log = new EventLogSync(gateway.uri(), device.token(), eventPage).run();
                Tally logTally = Tally.of(stored.textById().keySet(), log.createdCounts());

                double baselineMs = median(r.baselineMs);
                double historyMs = median(r.historyMs);
                double firstScreenMs = median(r.firstScreenMs);
                FirstSync.Outcome last = r.last;
                JsonObject ingest = DeviceCheck.ingest(stored, seeded);
                long lost = r.lost + ingest.getLong("acknowledgedNotStored") + logTally.missing() + logTally.unexpected();
                // A reply the carrier got twice is a duplicate too (deliver_sm accepted, its response too late, resent).
                long duplicated = r.duplicated + ingest.getLong("storedTwice") + logTally.duplicated() + seeded.repliesDeliveredTwice();
                details.put("checks", new JsonObject().put("devices", r.checks).put("ingest", ingest)
                        .put("eventLogMessageCreated", logTally.json()).put("baselineRows", r.baselineRows.get(0)));
                details.put("perRound", r.json);
                details.put("firstScreen", new JsonObject().put("ms", firstScreenMs).put("bytes", last.firstScreenBytes())
                        .put("requests", last.firstScreenRequests()).put("headProbes", last.headProbes()).put("head", last.head())
                        .put("conversationsShown", last.firstScreenConversations()).put("headProbeMs", Percentiles.json(r.headMicros))
                        .put("target", "first screen under " + (int) FIRST_SCREEN_TARGET_MS + " ms")
                        .put("targetMet", firstScreenMs < FIRST_SCREEN_TARGET_MS));
                details.put("allHistory", new JsonObject().put("ms", historyMs).put("bytes", last.bytes())
                        .put("bytesPerMessage", last.bytes() / (double) Math.max(1, last.messageCounts().size()))
                        .put("requests", last.requests()).put("messagesPerSecond", last.messageCounts().size() / (historyMs / 1000))
                        .put("conversationPageMs", Percentiles.json(r.conversationPageMicros))
                        .put("messagePageMs", Percentiles.json(r.messagePageMicros))
                        .put("ratioToBaseline", historyMs / baselineMs)
                        .put("target", "all history within " + HISTORY_TARGET_RATIO + "x the plain-query baseline")
                        .put("targetMet", historyMs <= HISTORY_TARGET_RATIO * baselineMs));
                details.put("eventLog", new JsonObject().put("ms", log.nanos() / 1e6).put("bytes", log.bytes())
                        .put("requests", log.requests()).put("events", log.events()).put("limit", eventPage)
                        .put("ratioToBaseline", log.nanos() / 1e6 / baselineMs).put("pageMs", Percentiles.json(log.pageMicros())));
                details.put("baseline", new JsonObject().put("query", PlainQuery.SQL).put("runsMs", new JsonArray(new ArrayList<>(r.baselineMs)))
                        .put("medianMs", baselineMs).put("warmupMs", warmup.nanos() / 1e6).put("rows", r.baselineRows.get(0))
                        .put("storedRowBytes", storedRowBytes(db)));
                return new Result(name(), o.quick(), historyMs, "ms",
                        new Result.Baseline("one plain query (messages of the number, API columns, sync order)", baselineMs, "ms"),
                        lost, duplicated, Percentiles.ofMicros(r.messagePageMicros), details);
            }
        }
    }

    /** What the rounds measured: their figures (medians are taken), merged latencies, correctness per device. */
    private static final class Rounds {
        final List<Double> historyMs = new ArrayList<>();
        final List<Double> firstScreenMs = new ArrayList<>();
        final List<Double> baselineMs = new ArrayList<>();
        final List<Long> baselineRows = new ArrayList<>();
        final Histogram headMicros = new Histogram(3);
        final Histogram conversationPageMicros = new Histogram(3);
        final Histogram messagePageMicros = new Histogram(3);
        final JsonArray json = new JsonArray();
        final JsonArray checks = new JsonArray();
        long lost;
        long duplicated;
        FirstSync.Outcome last;

        void add(FirstSync.Outcome sync, DeviceCheck check, PlainQuery.Read before, PlainQuery.Read after, double linkMs) {
            historyMs.add(sync.allHistoryNanos() / 1e6);
            firstScreenMs.add(sync.firstScreenNanos() / 1e6);
            for (PlainQuery.Read read : List.of(before, after)) {
                baselineMs.add(read.nanos() / 1e6);
                baselineRows.add(read.rows());
            }
            headMicros.add(sync.headMicros());
            conversationPageMicros.add(sync.conversationPageMicros());
            messagePageMicros.add(sync.messagePageMicros());
            lost += check.lost();
            duplicated += check.duplicated();
            checks.add(check.json());
            // Where this sync's time went: the sum of each phase's request latencies.
            json.add(new JsonObject().put("firstScreenMs", sync.firstScreenNanos() / 1e6).put("allHistoryMs", sync.allHistoryNanos() / 1e6)
                    .put("headProbesSumMs", sum(sync.headMicros())).put("conversationPagesSumMs", sum(sync.conversationPageMicros()))
                    .put("messagePagesSumMs", sum(sync.messagePageMicros()))
                    .put("plainQueryBeforeMs", before.nanos() / 1e6).put("plainQueryAfterMs", after.nanos() / 1e6).put("linkMs", linkMs));
            last = sync;
        }

        private static double sum(Histogram micros) {
            return micros.getMean() * micros.getTotalCount() / 1000.0;
        }
    }

    /** QR linking through the real API, as a new companion does it: request, the primary approves, the companion collects. */
    private static DeviceCredentials link(BenchGateway gateway, BenchDevice primary, int round) {
        DeviceKeys keys = DeviceKeys.generate();
        SwitchboardClient device = gateway.client();
        LinkRequest request = device.createLinkRequest("new-device-" + (round + 1), keys);
        gateway.client(primary).approveLink(request.qr(), primary.keys());
        return device.awaitApproval(request, Duration.ofSeconds(60));
    }

    /** What the number's message rows take in the database, to set the bytes the API sends against. */
    private static long storedRowBytes(BenchDatabase db) throws Exception {
        try (Connection c = db.jdbc();
             PreparedStatement st = c.prepareStatement("SELECT coalesce(sum(pg_column_size(m.*)), 0) FROM messages m WHERE number = ?")) {
            st.setString(1, NUMBER);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void vacuumAnalyze(BenchDatabase db) throws Exception {
        try (Connection c = db.jdbc(); java.sql.Statement st = c.createStatement()) {
            st.execute("VACUUM (ANALYZE)");
        }
    }

    private static long outboxRows(BenchDatabase db) throws Exception {
        try (Connection c = db.jdbc(); PreparedStatement st = c.prepareStatement("SELECT count(*) FROM outbox WHERE number = ?")) {
            st.setString(1, NUMBER);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
