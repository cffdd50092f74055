package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.io.TempDir;
import org.jsmpp.SMPPConstant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Misbehaving peers against real SMPP over TCP and the real database: an SMSC that drops every
 * bind with submits outstanding, and a database that goes away while a carrier delivers. Nothing
 * is lost; a duplicate appears only where SMPP makes it unavoidable (a response lost on the wire).
 */
class SmppFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String SERVED = "+390619190001";

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"binds\":2,\"window\":4,\"throughput\":1000,\"receiptIdBase\":\"hex\",\"prefixes\":[\"+44\"]}]"));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        smsc.awaitBound(WAIT);
    }

    @AfterAll
    static void stopSmsc() {
        smsc.close();
    }

    private static String text(SmscSimulator.Submitted s) {
        // Letters, digits and '-' are the same bytes in the GSM default alphabet as in ASCII.
        return new String(s.shortMessage(), StandardCharsets.US_ASCII);
    }

    @Test
    void smscDroppingEveryBindMidWindowLosesNothingAndResendsOnlyWhatLostItsResponse() throws Exception {
        int answeredInWindow = 6;
        int count = 40;
        int before = smsc.submitted().size();
        smsc.holdResponsesAfter(answeredInWindow);
        Map<String, SentMessage> sent = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String text = "drop-" + i;
            sent.put(text, device.client().send("+447700900400", text));
        }
        // Several submit_sm wait for a response the SMSC will never send on this bind: then it crashes.
        smsc.awaitHeld(3, WAIT);
        int held = smsc.dropAllAndRelease();
        assertTrue(held > 1, "more than one submit was outstanding at the drop: " + held);

        Eventually.await("every message sent after the rebind", WAIT, () -> {
            gw.clock.advance(Duration.ofSeconds(5));
            return allSent(sent);
        });

        List<SmscSimulator.Submitted> got = smsc.submitted().subList(before, smsc.submitted().size());
        Map<String, List<String>> idsByText = new HashMap<>();
        for (SmscSimulator.Submitted s : got) {
            idsByText.computeIfAbsent(text(s), t -> new ArrayList<>()).add(s.messageId());
        }
        Map<String, String> committed = committedSmscIds();
        Set<String> lost = smsc.heldIds();
        int duplicates = 0;
        int resentHeld = 0;
        int resentCutOff = 0;
        for (Map.Entry<String, SentMessage> e : sent.entrySet()) {
            List<String> ids = idsByText.get(e.getKey());
            assertTrue(ids != null && !ids.isEmpty(), e.getKey() + " never reached the SMSC");
            // The id Switchboard committed is the last submission: nothing went out again after a commit ...
            assertEquals(ids.get(ids.size() - 1), committed.get(e.getValue().id()), e.getKey() + " submissions " + ids);
            // ... so every earlier submission is one whose response never reached Switchboard: held by the
            // SMSC, or written just before the drop and cut off with the connection.
            for (String earlier : ids.subList(0, ids.size() - 1)) {
                if (lost.contains(earlier)) {
                    resentHeld++;
                } else {
                    resentCutOff++;
                }
            }
            duplicates += ids.size() - 1;
        }
        assertEquals(count + duplicates, got.size(), "nothing but these messages reached the SMSC");
        // At most what was outstanding on the binds when they dropped: the window of each.
        assertTrue(duplicates <= 2 * 4, duplicates + " duplicates, more than the window");
        assertTrue(resentHeld <= held, resentHeld + " resent of " + held + " held");
        System.out.printf("SMSC drop mid-window: %d messages, %d submit_sm held unanswered at the drop, %d duplicates at the SMSC "
                + "(%d held, %d answered but cut off by the drop), %d submit_sm in all%n", count, held, duplicates, resentHeld,
                resentCutOff, got.size());
    }

    private static boolean allSent(Map<String, SentMessage> sent) {
        Map<String, String> status = new HashMap<>();
        String conversation = sent.values().iterator().next().conversationId();
        device.client().allMessages(conversation).forEach(m -> status.put(m.get("id").asText(), m.get("status").asText()));
        return sent.values().stream().allMatch(m -> "sent".equals(status.get(m.id())));
    }

    private static Map<String, String> committedSmscIds() throws Exception {
        Map<String, String> ids = new HashMap<>();
        try (Connection c = gw.jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT message_id, smsc_id FROM sms_submissions WHERE carrier = 'acme'")) {
            while (rs.next()) {
                ids.put(rs.getString(1), rs.getString(2));
            }
        }
        return ids;
    }

    @Test
    void databaseGoneWhileTheCarrierDeliversTellsItToRetryAndEachSmsArrivesOnce() throws Exception {
        smsc.awaitBound(WAIT);
        int count = 12;
        int maxAttempts = 200;
        List<SmscSimulator.Retrying> deliveries = new ArrayList<>();
        try (Connection admin = gw.jdbc()) {
            String db = admin.getCatalog();
            try (Connection superuser = java.sql.DriverManager.getConnection(gw.jdbcUrlOf("postgres"), "postgres", "");
                 Statement s = superuser.createStatement()) {
                s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()");
                try {
                    for (int i = 0; i < count; i++) {
                        deliveries.add(smsc.mobileOriginatedRetrying(String.format("4477009005%02d", i), SERVED.substring(1),
                                ("mo-" + i).getBytes(StandardCharsets.US_ASCII), (byte) 0, maxAttempts, Duration.ofMillis(100)));
                    }
                    // Every SMS has been refused at least once while the database is away.
                    Eventually.await("an ESME_RX_T_APPN for every SMS", WAIT, () -> deliveries.stream().allMatch(d -> {
                        synchronized (d.statuses()) {
                            return d.statuses().contains(SMPPConstant.STAT_ESME_RX_T_APPN);
                        }
                    }));
                } finally {
                    s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
                }
            }
        }
        int attempts = 0;
        for (int i = 0; i < count; i++) {
            List<Integer> statuses = deliveries.get(i).done().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(0, statuses.get(statuses.size() - 1), "mo-" + i + " accepted in the end: " + statuses);
            assertTrue(statuses.stream().limit(statuses.size() - 1)
                    .allMatch(st -> st == SMPPConstant.STAT_ESME_RX_T_APPN || st == SmscSimulator.NO_RESPONSE), statuses.toString());
            attempts += statuses.size();
        }
        for (int i = 0; i < count; i++) {
            String from = String.format("+4477009005%02d", i);
            String conversation = device.client().conversationWith(from).orElseThrow(() -> new AssertionError(from + " missing"))
                    .get("id").asText();
            var messages = device.client().allMessages(conversation);
            assertEquals(1, messages.size(), from + " arrived once");
            assertEquals("mo-" + i, messages.get(0).get("text").asText());
        }
        System.out.printf("database away: %d SMS, %d deliver_sm attempts, each arrived once%n", count, attempts);
    }

    // --- kill -9 during a burst -------------------------------------------------------------------

    private static final String KILL_SERVED = "+390619190002";
    private static final String MO_FROM = "33600000001";
    private static final String MT_TO = "+447700900800";
    private static final int BURST = 150;
    private static final int KILL_BINDS = 1;
    private static final int KILL_WINDOW = 8;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The real entry point in its own JVM, configured through the environment only. */
    private static Process startGateway(Path dataDir, int httpPort, int smppPort, String adminToken, int smscPort) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(httpPort));
        env.put("SWITCHBOARD_ADMIN_TOKEN", adminToken);
        env.put("SWITCHBOARD_DATABASE_EMBEDDED_DATA_DIR", dataDir.toString());
        env.put("SWITCHBOARD_SMPP_SERVER_PORT", Integer.toString(smppPort));
        env.put("SWITCHBOARD_SMPP_SERVER_ACCOUNTS",
                "[{\"systemId\":\"upstream\",\"password\":\"secret\",\"numbers\":[\"" + KILL_SERVED + "\"],\"throughput\":10000}]");
        env.put("SWITCHBOARD_SMPP_CARRIERS", "[{\"id\":\"kilo\",\"host\":\"127.0.0.1\",\"port\":" + smscPort
                + ",\"systemId\":\"killtest\",\"password\":\"pw\",\"binds\":" + KILL_BINDS + ",\"window\":" + KILL_WINDOW
                + ",\"throughput\":1000,\"prefixes\":[\"+44\"]}]");
        Process process = pb.start();
        // Read its output to the end so it never blocks on a full pipe; the first "listening" line means ready.
        CountDownLatch listening = new CountDownLatch(1);
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread pump = new Thread(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.contains("Switchboard listening on")) {
                        listening.countDown();
                    }
                }
            } catch (IOException closed) {
                // The process is gone.
            }
        }, "gateway-output");
        pump.setDaemon(true);
        pump.start();
        if (!listening.await(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            synchronized (output) {
                throw new AssertionError("the gateway did not start:\n" + String.join("\n", output));
            }
        }
        return process;
    }

    private static HttpResponse<String> postMessage(HttpClient http, URI uri, String token, String text, String key)
            throws IOException, InterruptedException {
        String body = "{\"to\":\"" + MT_TO + "\",\"text\":\"" + text + "\"}";
        return http.send(HttpRequest.newBuilder(uri.resolve("/v1/messages")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void submitMo(SMPPSession session, String text) throws Exception {
        session.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, MO_FROM,
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, KILL_SERVED.substring(1), new ESMClass(), (byte) 0, (byte) 1,
                null, null, new RegisteredDelivery(0), (byte) 0, DataCodings.newInstance((byte) 0), (byte) 0,
                text.getBytes(StandardCharsets.US_ASCII));
    }

    private static SMPPSession bindUpstream(int port) throws IOException {
        SMPPSession session = new SMPPSession();
        session.setTransactionTimer(5_000);
        session.connectAndBind("127.0.0.1", port, new BindParameter(BindType.BIND_TRX, "upstream", "secret", "",
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
        return session;
    }

    /** Stops what the killed gateway left behind: its embedded PostgreSQL, a child it started and SIGKILL did not reach. */
    private static void stopOrphanedDatabase(Path dataDir) throws IOException {
        Path pid = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (Files.exists(pid)) {
            long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).trim());
            ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy);
            ProcessHandle.of(postmaster).ifPresent(p -> p.onExit().join());
        }
    }

    @Test
    void killDashNineDuringABurstOfMoAndMtLosesNothingAccepted(@TempDir Path dataDir) throws Exception {
        String adminToken = java.util.UUID.randomUUID().toString();
        int httpPort = freePort();
        int smppPort = freePort();
        URI uri = URI.create("http://127.0.0.1:" + httpPort);
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService burst = Executors.newFixedThreadPool(6);
        Process gateway = null;
        try (SmscSimulator carrier = SmscSimulator.start("killtest", "pw")) {
            gateway = startGateway(dataDir, httpPort, smppPort, adminToken, carrier.port());
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(uri.resolve("/v1/numbers"))
                    .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"number\":\"" + KILL_SERVED + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(served.statusCode() == 201 || served.statusCode() == 200, served.body());
            String code = new io.vertx.core.json.JsonObject(served.body()).getString("enrollmentCode");
            DeviceCredentials creds = new SwitchboardClient(uri).enrollPrimary(KILL_SERVED, code, "phone", DeviceKeys.generate());
            carrier.awaitBound(WAIT);

            // The burst: an upstream ESME submits MO on 4 threads, the device sends MT on 2; each side counts what was accepted.
            Set<Integer> moAcked = ConcurrentHashMap.newKeySet();
            Set<Integer> moInFlight = ConcurrentHashMap.newKeySet();
            Set<Integer> mtAccepted = ConcurrentHashMap.newKeySet();
            AtomicInteger moNext = new AtomicInteger();
            AtomicInteger mtNext = new AtomicInteger();
            SMPPSession upstream = bindUpstream(smppPort);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(burst.submit(() -> {
                    for (int i = moNext.getAndIncrement(); i < BURST; i = moNext.getAndIncrement()) {
                        moInFlight.add(i);
                        try {
                            submitMo(upstream, "mo-" + i);
                            moAcked.add(i);
                            moInFlight.remove(i);
                        } catch (Exception e) {
                            return; // the gateway is gone: this PDU's fate is unknown, it stays in flight
                        }
                    }
                }));
            }
            for (int t = 0; t < 2; t++) {
                workers.add(burst.submit(() -> {
                    for (int i = mtNext.getAndIncrement(); i < BURST; i = mtNext.getAndIncrement()) {
                        try {
                            if (postMessage(http, uri, creds.token(), "mt-" + i, "key-" + i).statusCode() == 202) {
                                mtAccepted.add(i);
                            }
                        } catch (IOException e) {
                            return;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            // Mid-burst on both sides: part of the MO acknowledged, part of the MT already at the SMSC.
            Eventually.await("the burst under way", WAIT, () -> moAcked.size() >= BURST / 3 && carrier.submitted().size() >= BURST / 6);
            gateway.destroyForcibly();
            assertTrue(gateway.waitFor(30, TimeUnit.SECONDS), "the gateway died");
            for (Future<?> w : workers) {
                w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            upstream.close();
            int moAckedAtKill = moAcked.size();
            int moInFlightAtKill = moInFlight.size();
            int mtAcceptedAtKill = mtAccepted.size();
            List<SmscSimulator.Submitted> mtBeforeKill = carrier.submitted();
            int mtAtSmscAtKill = mtBeforeKill.size();
            assertTrue(moAckedAtKill < BURST && mtAcceptedAtKill < BURST, "killed mid-burst: " + moAckedAtKill + " MO, " + mtAcceptedAtKill + " MT");

            gateway = startGateway(dataDir, httpPort, smppPort, adminToken, carrier.port());
            // The peers do what SMPP and the API ask: the ESME resubmits every MO it has no ROK for,
            // the device retries every MT without a 202 under the same Idempotency-Key.
            SMPPSession again = bindUpstream(smppPort);
            try {
                for (int i = 0; i < BURST; i++) {
                    if (!moAcked.contains(i)) {
                        submitMo(again, "mo-" + i);
                        moAcked.add(i);
                    }
                }
            } finally {
                again.unbindAndClose();
            }
            for (int i = 0; i < BURST; i++) {
                if (!mtAccepted.contains(i)) {
                    assertEquals(202, postMessage(http, uri, creds.token(), "mt-" + i, "key-" + i).statusCode());
                }
            }

            // The outbox drains on the real clock: every MT reaches the SMSC.
            Map<String, Integer> mtAtSmsc = new HashMap<>();
            Eventually.await("every MT at the SMSC", WAIT, () -> {
                mtAtSmsc.clear();
                carrier.submitted().forEach(s -> mtAtSmsc.merge(text(s), 1, Integer::sum));
                return mtAtSmsc.size() == BURST;
            });
            SwitchboardClient device = new SwitchboardClient(uri).withCredentials(creds);
            String conversation = device.conversationWith("+" + MO_FROM).orElseThrow().get("id").asText();
            Map<String, Integer> moInInbox = new HashMap<>();
            device.allMessages(conversation).forEach(m -> moInInbox.merge(m.get("text").asText(), 1, Integer::sum));
            for (int i = 0; i < BURST; i++) {
                assertTrue(moInInbox.containsKey("mo-" + i), "MO " + i + " missing from the inbox");
                assertTrue(mtAtSmsc.containsKey("mt-" + i), "MT " + i + " never reached the SMSC");
            }
            int moDuplicates = moInInbox.values().stream().mapToInt(n -> n - 1).sum();
            int mtDuplicates = mtAtSmsc.values().stream().mapToInt(n -> n - 1).sum();
            assertEquals(BURST, moInInbox.size(), "nothing else in the inbox");
            assertEquals(BURST, mtAtSmsc.size(), "nothing else at the SMSC");
            // A duplicate MO is a PDU the ESME resubmitted because the kill cut off its response.
            assertTrue(moDuplicates <= moInFlightAtKill, moDuplicates + " MO duplicates, " + moInFlightAtKill + " in flight");
            // A duplicate MT is a segment the SMSC accepted before the kill but whose id was never committed.
            Set<String> committed = new java.util.HashSet<>();
            List<String> pid = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
            try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres",
                    "postgres", ""); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT smsc_id FROM sms_submissions WHERE carrier = 'kilo'")) {
                while (rs.next()) {
                    committed.add(rs.getString(1));
                }
            }
            long mtInFlight = mtBeforeKill.stream().filter(sub -> !committed.contains(sub.messageId())).count();
            assertEquals(BURST, carrier.submitted().stream().filter(sub -> committed.contains(sub.messageId())).count(),
                    "one committed submission per MT");
            assertTrue(mtDuplicates <= mtInFlight, mtDuplicates + " MT duplicates, " + mtInFlight + " accepted but not committed at the kill");
            System.out.printf("kill -9 mid-burst: MO %d ROK before the kill, %d in flight, %d duplicates in the inbox; "
                    + "MT %d accepted (202) before the kill, %d at the SMSC at the kill of which %d not yet committed, "
                    + "%d duplicates at the SMSC%n",
                    moAckedAtKill, moInFlightAtKill, moDuplicates, mtAcceptedAtKill, mtAtSmscAtKill, mtInFlight, mtDuplicates);

            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(gateway.pid())).start().waitFor());
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "the restarted gateway stops on SIGTERM");
        } finally {
            burst.shutdownNow();
            if (gateway != null) {
                gateway.destroyForcibly();
                gateway.waitFor(30, TimeUnit.SECONDS);
            }
            stopOrphanedDatabase(dataDir);
        }
    }
}
