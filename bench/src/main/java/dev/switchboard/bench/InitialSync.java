package dev.switchboard.bench;

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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
                + "(--messages, --conversations, --outboundPercent, --conversationPage, --messagePage, --parallel, --eventPage, --baselineRuns)";
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
        int warmups = o.integer("warmups", 1, 1);
        int baselineRuns = o.integer("baselineRuns", 3, 5);
        int poolSize = o.integer("pool", 16, 16);

        JsonObject details = new JsonObject().put("direction", "lower is better: ratio = time to all history / plain-query time")
                .put("messages", messages).put("conversations", conversations).put("outboundPercent", outboundPercent)
                .put("conversationPage", conversationPage).put("messagePage", messagePage).put("parallel", parallel)
                .put("warmups", warmups).put("poolSize", poolSize);
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
            System.out.printf(Locale.ROOT, "initial-sync: seeded %,d messages in %.1f s; linking a new device%n",
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

            long linkStart = System.nanoTime();
            DeviceCredentials fresh = link(gateway, primary);
            details.put("linkMs", (System.nanoTime() - linkStart) / 1e6);

            try (PlainQuery plain = new PlainQuery(db.endpoint())) {
                // Warms the same pages of the database the sync reads, so neither side pays for a cold cache alone.
                PlainQuery.Read warmup = plain.read(NUMBER);

                System.out.println("initial-sync: the new device syncs");
                FirstSync.Outcome sync = new FirstSync(gateway.uri(), fresh.token(), conversationPage, messagePage, parallel).run();
                System.out.printf(Locale.ROOT, "initial-sync: first screen %.1f ms, all history %.1f ms; reading the sync log%n",
                        sync.firstScreenNanos() / 1e6, sync.allHistoryNanos() / 1e6);
                EventLogSync.Outcome log = new EventLogSync(gateway.uri(), fresh.token(), eventPage).run();

                List<Double> runs = new ArrayList<>();
                long baselineRows = 0;
                for (int i = 0; i < baselineRuns; i++) {
                    PlainQuery.Read read = plain.read(NUMBER);
                    runs.add(read.nanos() / 1e6);
                    baselineRows = read.rows();
                }
                if (baselineRows != stored.textById().size()) {
                    throw new IllegalStateException("the plain query read " + baselineRows + " rows, the number holds "
                            + stored.textById().size());
                }
                double baselineMs = median(runs);
                double historyMs = sync.allHistoryNanos() / 1e6;
                double firstScreenMs = sync.firstScreenNanos() / 1e6;

                // Correctness: every stored message and conversation on the device exactly once, with its text.
                Tally messagesTally = Tally.of(stored.textById().keySet(), sync.messageCounts());
                Tally conversationsTally = Tally.of(stored.conversationIds(), sync.conversationCounts());
                Tally logTally = Tally.of(stored.textById().keySet(), log.createdCounts());
                long wrongText = stored.textById().entrySet().stream()
                        .filter(e -> sync.textById().containsKey(e.getKey()) && !e.getValue().equals(sync.textById().get(e.getKey())))
                        .count();
                Map<String, Integer> storedTexts = stored.textCounts();
                long acknowledgedNotStored = seeded.acknowledgedTexts().stream().filter(t -> !storedTexts.containsKey(t)).count();
                long storedTwice = storedTexts.values().stream().mapToLong(n -> n - 1).sum();
                Set<String> received = new HashSet<>(sync.textById().values());
                long acknowledgedNotOnDevice = seeded.acknowledgedTexts().stream().filter(t -> !received.contains(t)).count();
                long lost = messagesTally.missing() + messagesTally.unexpected() + conversationsTally.missing() + wrongText
                        + acknowledgedNotStored + acknowledgedNotOnDevice + logTally.missing();
                long duplicated = messagesTally.duplicated() + conversationsTally.duplicated() + storedTwice + logTally.duplicated();
                details.put("checks", new JsonObject().put("messages", messagesTally.json()).put("conversations", conversationsTally.json())
                        .put("wrongText", wrongText).put("acknowledgedNotStored", acknowledgedNotStored).put("storedTwice", storedTwice)
                        .put("acknowledgedNotOnDevice", acknowledgedNotOnDevice).put("eventLogMessageCreated", logTally.json())
                        .put("baselineRows", baselineRows));

                details.put("firstScreen", new JsonObject().put("ms", firstScreenMs).put("bytes", sync.firstScreenBytes())
                        .put("requests", sync.firstScreenRequests()).put("headProbes", sync.headProbes()).put("head", sync.head())
                        .put("conversationsShown", sync.firstScreenConversations()).put("headProbeMs", Percentiles.json(sync.headMicros()))
                        .put("target", "first screen under " + (int) FIRST_SCREEN_TARGET_MS + " ms")
                        .put("targetMet", firstScreenMs < FIRST_SCREEN_TARGET_MS));
                details.put("allHistory", new JsonObject().put("ms", historyMs).put("bytes", sync.bytes())
                        .put("bytesPerMessage", sync.bytes() / (double) Math.max(1, sync.messageCounts().size()))
                        .put("requests", sync.requests()).put("messagesPerSecond", sync.messageCounts().size() / (historyMs / 1000))
                        .put("headProbesMs", timeSpent(sync.headMicros()))
                        .put("conversationPageMs", timeSpent(sync.conversationPageMicros()))
                        .put("messagePageMs", timeSpent(sync.messagePageMicros()))
                        .put("ratioToBaseline", historyMs / baselineMs)
                        .put("target", "all history within " + HISTORY_TARGET_RATIO + "x the plain-query baseline")
                        .put("targetMet", historyMs <= HISTORY_TARGET_RATIO * baselineMs));
                details.put("eventLog", new JsonObject().put("ms", log.nanos() / 1e6).put("bytes", log.bytes())
                        .put("requests", log.requests()).put("events", log.events()).put("limit", eventPage)
                        .put("ratioToBaseline", log.nanos() / 1e6 / baselineMs).put("pageMs", Percentiles.json(log.pageMicros())));
                details.put("baseline", new JsonObject().put("query", PlainQuery.SQL).put("runsMs", new JsonArray(new ArrayList<>(runs)))
                        .put("medianMs", baselineMs).put("warmupMs", warmup.nanos() / 1e6).put("rows", baselineRows)
                        .put("storedRowBytes", storedRowBytes(db)));
                return new Result(name(), o.quick(), historyMs, "ms",
                        new Result.Baseline("one plain query (messages of the number, API columns, sync order)", baselineMs, "ms"),
                        lost, duplicated, Percentiles.ofMicros(sync.messagePageMicros()), details);
            }
        }
    }

    /** QR linking through the real API, as a new companion does it: request, the primary approves, the companion collects. */
    private static DeviceCredentials link(BenchGateway gateway, BenchDevice primary) {
        DeviceKeys keys = DeviceKeys.generate();
        SwitchboardClient device = gateway.client();
        LinkRequest request = device.createLinkRequest("new-device", keys);
        gateway.client(primary).approveLink(request.qr(), primary.keys());
        return device.awaitApproval(request, Duration.ofSeconds(60));
    }

    /** Percentiles plus the sum of all requests' latencies: where the sync's time went, phase by phase. */
    private static JsonObject timeSpent(org.HdrHistogram.Histogram micros) {
        return Percentiles.json(micros).put("sumMs", micros.getMean() * micros.getTotalCount() / 1000.0);
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
