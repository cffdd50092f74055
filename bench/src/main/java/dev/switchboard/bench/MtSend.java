package dev.switchboard.bench;

import dev.switchboard.bench.mtsend.BenchSmsc;
import dev.switchboard.bench.mtsend.RawJsmppBaseline;
import dev.switchboard.bench.mtsend.SendLedger;
import dev.switchboard.bench.support.BenchDatabase;
import dev.switchboard.bench.support.BenchGateway;
import dev.switchboard.bench.support.BenchGateway.BenchDevice;
import dev.switchboard.bench.support.Percentiles;
import dev.switchboard.client.SwitchboardClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outbound SMS (mobile-terminated at the far end): each served number's primary device posts
 * messages to off-net numbers ({@code POST /v1/messages} with an Idempotency-Key) while it follows
 * its inbox on the WebSocket stream; the gateway submits them over SMPP to a carrier SMSC simulator
 * in this process ({@link BenchSmsc}), which acknowledges at once and then sends a delivery receipt
 * for each. Figure: messages per second from the POST to submit_sm_resp; also per second to the
 * {@code sent} and {@code delivered} frames at the device. Latency: POST to the {@code delivered}
 * frame. Baseline, same run, same SMSC, same binds × window: raw jsmpp submit_sm on loopback.
 */
final class MtSend implements Scenario {
    private static final String CARRIER_SYSTEM_ID = "switchboard";
    /** SmppCarriersReader's maximum: the carrier's rate limiter must not be what limits the run. */
    private static final int CARRIER_THROUGHPUT = 100_000;

    @Override
    public String name() {
        return "mt-send";
    }

    @Override
    public String description() {
        return "devices POST to off-net numbers, the gateway submits over SMPP to an SMSC simulator with receipts, vs raw jsmpp "
                + "submit_sm (--numbers, --inflight, --peers, --binds, --window, --seconds, --pool)";
    }

    @Override
    public Result run(Options o) throws Exception {
        int numberCount = o.integer("numbers", 3, 20);
        int inflight = o.integer("inflight", 16, 16);
        int peers = o.integer("peers", 5, 10);
        int binds = o.integer("binds", 4, 4);
        int window = o.integer("window", 32, 32);
        int seconds = o.integer("seconds", 2, 30);
        int poolSize = o.integer("pool", 16, 16);

        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < numberCount; i++) {
            numbers.add(String.format("+3906160%05d", i));
        }
        JsonObject details = new JsonObject().put("numbers", numberCount).put("devicesPerNumber", 1)
                .put("offNetPeersPerNumber", peers).put("inflightPerNumber", inflight).put("binds", binds).put("window", window)
                .put("seconds", seconds).put("poolSize", poolSize)
                .put("carrierThroughput", CARRIER_THROUGHPUT + " msg/s (the configured maximum, so the carrier's rate limiter is not the limit)")
                .put("offeredLoad", "closed loop: each number keeps at most inflightPerNumber messages posted and not yet sent");
        SendLedger ledger = new SendLedger(CARRIER_SYSTEM_ID, numbers, inflight);
        try (BenchDatabase db = BenchDatabase.start(); BenchSmsc smsc = BenchSmsc.start(window, ledger::submitted)) {
            GatewayRun run = runGateway(db, smsc, numbers, peers, binds, window, seconds, poolSize, ledger, details);
            System.out.println("mt-send: raw jsmpp baseline against the same SMSC, " + binds + " binds x window " + window);
            RawJsmppBaseline.Outcome baseline = RawJsmppBaseline.run(smsc.port(), binds, window, seconds);
            details.put("baseline", baseline.details());
            details.put("smsc", new JsonObject().put("receiptsAcknowledged", smsc.receiptsAcknowledged())
                    .put("receiptRetries", smsc.receiptRetries()).put("receiptsFailed", smsc.receiptsFailed()));
            double ratio = baseline.rate() == 0 ? 0 : run.submitRate / baseline.rate();
            details.put("target", "mt-send at least 0.5x raw jsmpp submit_sm on loopback (issue 7)").put("targetRatio", 0.5)
                    .put("targetMet", ratio >= 0.5);
            return new Result(name(), o.quick(), run.submitRate, "msg/s",
                    new Result.Baseline("raw jsmpp submit_sm on loopback, same SMSC, " + binds + " binds x window " + window,
                            baseline.rate(), "submit_sm/s"),
                    run.tally.lost(), run.tally.duplicated(), Percentiles.ofMicros(ledger.toDeliveredMicros()), details);
        }
    }

    private record GatewayRun(double submitRate, SendLedger.Tally tally) {}

    private GatewayRun runGateway(BenchDatabase db, BenchSmsc smsc, List<String> numbers, int peers, int binds, int window, int seconds,
                                  int poolSize, SendLedger ledger, JsonObject details) throws Exception {
        Map<String, String> env = Map.of("SWITCHBOARD_SMPP_CARRIERS", new JsonArray().add(new JsonObject()
                .put("id", "bench-smsc").put("host", "127.0.0.1").put("port", smsc.port()).put("systemId", CARRIER_SYSTEM_ID)
                .put("password", "bench").put("binds", binds).put("window", window).put("throughput", CARRIER_THROUGHPUT)
                .put("prefixes", new JsonArray().add("+44"))).encode());
        Vertx clientVertx = Vertx.vertx();
        try (BenchGateway gateway = BenchGateway.start(db, poolSize, false, env)) {
            long setupStart = System.nanoTime();
            System.out.println("mt-send: enrolling " + numbers.size() + " numbers");
            Map<String, List<BenchDevice>> enrolled = gateway.enroll(numbers, 0, 4);
            WebSocketClient ws = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(numbers.size() + 16));
            List<WebSocket> sockets = new ArrayList<>();
            for (String number : numbers) {
                BenchDevice device = enrolled.get(number).get(0);
                WebSocket socket = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.httpPort())
                                .setURI("/v1/stream?since=0").addHeader("Authorization", "Bearer " + device.token()))
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                socket.textMessageHandler(text -> ledger.frame(number, text, System.nanoTime()));
                sockets.add(socket);
            }
            smsc.awaitBound(CARRIER_SYSTEM_ID, binds, 30_000);
            details.put("setupSeconds", (System.nanoTime() - setupStart) / 1e9);
            System.out.println("mt-send: " + numbers.size() + " devices streaming, " + binds + " binds up; posting for " + seconds + " s");

            AtomicLong nextId = new AtomicLong();
            AtomicLong failedAttempts = new AtomicLong();
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService posters = Executors.newFixedThreadPool(numbers.size());
            for (String number : numbers) {
                SwitchboardClient client = gateway.client(enrolled.get(number).get(0));
                int firstPeer = numbers.indexOf(number) * peers;
                posters.execute(() -> post(client, number, firstPeer, peers, deadline, nextId, failedAttempts, ledger));
            }
            posters.shutdown();
            if (!posters.awaitTermination(seconds + 120L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("posters did not finish");
            }
            long postingEnded = System.nanoTime();
            boolean settled = ledger.awaitSettled(30_000);
            details.put("drainSeconds", (System.nanoTime() - postingEnded) / 1e9).put("allSettledInTime", settled);
            sockets.forEach(WebSocket::close);
            details.put("database", databaseState(db));

            SendLedger.Tally tally = ledger.tally(deadline);
            double postingSeconds = (deadline - start) / 1e9;
            double submitRate = tally.submittedInWindow() / postingSeconds;
            double sentRate = tally.sentInWindow() / postingSeconds;
            double deliveredRate = tally.deliveredInWindow() / postingSeconds;
            double overall = tally.delivered() > 0 ? tally.delivered() / ((tally.lastDeliveredAt() - start) / 1e9) : 0;
            details.put("counts", tally.json().put("failedPostAttempts", failedAttempts.get()))
                    .put("submitRate", submitRate).put("sentAtDeviceRate", sentRate).put("deliveredAtDeviceRate", deliveredRate)
                    .put("deliveredRateIncludingDrain", overall)
                    .put("rates", "per second of posting; each counts messages whose event came before posting stopped:"
                            + " submit_sm_resp at the SMSC; the first frame at the device showing sent or beyond (a fast receipt"
                            + " can skip sent, see counts.straightToDelivered); the delivered frame")
                    .put("postMs", Percentiles.json(ledger.postMicros()))
                    .put("postToSubmitMs", Percentiles.json(ledger.toSubmitMicros()))
                    .put("postToSentMs", Percentiles.json(ledger.toSentMicros()))
                    .put("postToDeliveredMs", Percentiles.json(ledger.toDeliveredMicros()))
                    .put("submitToDeliveredMs", Percentiles.json(ledger.submitToDeliveredMicros()));
            return new GatewayRun(submitRate, tally);
        } finally {
            clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The gateway's own view after the drain, to tell a message the device never heard about from
     * one the gateway never settled: outbound statuses, submissions by state, receipts still unmatched.
     */
    private static JsonObject databaseState(BenchDatabase db) throws Exception {
        JsonObject state = new JsonObject();
        try (Connection c = db.jdbc(); Statement st = c.createStatement()) {
            JsonObject statuses = new JsonObject();
            try (ResultSet rs = st.executeQuery("SELECT status, count(*) FROM messages WHERE direction = 'out' GROUP BY status")) {
                while (rs.next()) {
                    statuses.put(rs.getString(1), rs.getLong(2));
                }
            }
            JsonObject submissions = new JsonObject();
            try (ResultSet rs = st.executeQuery("SELECT state, count(*) FROM sms_submissions GROUP BY state")) {
                while (rs.next()) {
                    submissions.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sms_unmatched_receipts")) {
                rs.next();
                state.put("unmatchedReceipts", rs.getLong(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox")) {
                rs.next();
                state.put("outboxRows", rs.getLong(1));
            }
            state.put("outboundByStatus", statuses).put("submissionsByState", submissions);
        }
        return state;
    }

    /**
     * One device's sending loop: while the run lasts and its window has room, POST the next message to
     * its next off-net peer. A failed POST is retried with the same Idempotency-Key, as a client must.
     */
    private static void post(SwitchboardClient client, String number, int firstPeer, int peers, long deadline, AtomicLong nextId,
                             AtomicLong failedAttempts, SendLedger ledger) {
        try {
            for (long n = 0; ; n++) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !ledger.acquire(number, left)) {
                    return;
                }
                long id = nextId.getAndIncrement();
                String to = String.format("+4477009%05d", firstPeer + n % peers);
                String text = SendLedger.PREFIX + id;
                ledger.posting(id, number);
                long t0 = System.nanoTime();
                boolean accepted = false;
                for (int attempt = 1; attempt <= 3 && !accepted; attempt++) {
                    try {
                        client.send(to, text, text);
                        accepted = true;
                    } catch (RuntimeException e) {
                        failedAttempts.incrementAndGet();
                    }
                }
                if (accepted) {
                    ledger.accepted(id, (System.nanoTime() - t0) / 1000);
                } else {
                    ledger.postFailed(id);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
