package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interop with an independent SMPP implementation: the npm {@code smpp} package (0.5.1), driven by
 * the scripts in {@code src/test/node}. {@code smsc.js} is a carrier's SMSC that Switchboard binds to
 * (ESME role); {@code esme.js} is a carrier binding to Switchboard's server (SMSC role). Each script
 * prints one JSON line per SMPP event and takes commands on stdin.
 *
 * <p>Needs {@code node} on the PATH and {@code npm ci --prefix gateway/src/test/node}; without them
 * the class is skipped, or fails when {@code SWITCHBOARD_REQUIRE_PEERS=1} (as in CI).
 */
class NodeSmppPeerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Reached through the npm SMSC: MT to +44 is routed there, its MO is addressed here. */
    private static final String CARRIER_SERVED = "+390617170001";
    /** Delivered to by the npm ESME through Switchboard's server. */
    private static final String SERVER_SERVED = "+390617170002";
    private static final int STATUS_OK = 0x00;
    private static final int ESME_RINVDSTADR = 0x0B;
    private static final int ESME_RINVPASWD = 0x0E;
    private static final int ESME_RINVSYSID = 0x0F;

    private static Path peers;
    private static NodePeer smsc;
    private static TestGateway gw;
    private static int serverPort;
    private static Device carrierDevice;
    private static Device serverDevice;

    /** Why the peers cannot run here, or null when they can. */
    private static String missingPeers;

    @BeforeAll
    static void start() throws Exception {
        peers = NodePeer.folder();
        missingPeers = NodePeer.missingPeers(peers);
        if (missingPeers != null) {
            if ("1".equals(System.getenv("SWITCHBOARD_REQUIRE_PEERS"))) {
                fail(missingPeers + " (SWITCHBOARD_REQUIRE_PEERS=1 makes this a failure instead of a skip)");
            }
            return;
        }
        smsc = NodePeer.start(peers, "smsc.js", "0", "switchboard", "pw");
        int smscPort = smsc.awaitPort(WAIT);
        serverPort = freePort();
        gw = TestGateway.start(Map.of(
                "SWITCHBOARD_SMPP_CARRIERS", "[{\"id\":\"npm\",\"host\":\"127.0.0.1\",\"port\":" + smscPort
                        + ",\"systemId\":\"switchboard\",\"password\":\"pw\",\"receiptIdBase\":\"hex\",\"prefixes\":[\"+44\"]}]",
                "SWITCHBOARD_SMPP_SERVER_PORT", Integer.toString(serverPort),
                "SWITCHBOARD_SMPP_SERVER_ACCOUNTS", "[{\"systemId\":\"npmesme\",\"password\":\"secret\",\"numbers\":[\""
                        + SERVER_SERVED + "\"],\"prefixes\":[\"+33\"]}]"));
        carrierDevice = gw.primary(CARRIER_SERVED);
        serverDevice = gw.primary(SERVER_SERVED);
        JsonNode bind = smsc.await("Switchboard's bind to the npm SMSC", WAIT, e -> e.path("event").asText().equals("bind"));
        assertEquals("bind_transceiver", bind.get("command").asText());
        assertEquals(STATUS_OK, bind.get("status").asInt(), "Switchboard binds with the configured credentials: " + bind);
    }

    @BeforeEach
    void peersInstalled() {
        Assumptions.assumeTrue(missingPeers == null, () -> missingPeers);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gw != null) {
                gw.close();
            }
        } finally {
            if (smsc != null) {
                smsc.close();
            }
        }
    }

    // ---- npm SMSC <- Switchboard (ESME role) ----

    @Test
    void gsmReplyGoesOutAsSubmitSmToTheNpmSmscAndItsReceiptMarksItDelivered() {
        String text = "Grazie, a domani! @ 10€ {ok} _fine_";
        SentMessage sent = carrierDevice.client().send("+447700900101", text);
        JsonNode submit = smsc.await("submit_sm to 447700900101", WAIT, event("submit_sm", "to", "447700900101"));
        assertEquals(text, submit.get("text").asText(), "the npm SMSC decodes the GSM 03.38 text unchanged: " + submit);
        assertEquals(0x00, submit.get("dataCoding").asInt(), "GSM 7-bit goes out as data_coding 0");
        assertEquals(1, submit.get("toTon").asInt(), "destination with TON international");
        assertEquals(1, submit.get("toNpi").asInt());
        assertEquals("390617170001", submit.get("from").asText(), "source is the served number, no plus");
        assertEquals(1, submit.get("fromTon").asInt());
        assertEquals(0, submit.get("esmClass").asInt() & 0x40, "a short message has no UDH");
        assertNotEquals(0, submit.get("registeredDelivery").asInt() & 0x03, "Switchboard asks for a receipt");

        String smscId = submit.get("messageId").asText();
        JsonNode receipt = smsc.await("the receipt of " + smscId, WAIT, event("receipt", "messageId", smscId));
        assertEquals(STATUS_OK, receipt.get("status").asInt(), "Switchboard acknowledges the receipt: " + receipt);
        awaitStatus(carrierDevice, sent, "delivered");
        assertEquals(1, smsc.count(event("submit_sm", "to", "447700900101")), "submitted once");
    }

    @Test
    void replyOutsideGsmGoesOutAsUcs2AndIsDelivered() {
        String text = "Ci vediamo lì 🙂 ça va? Ωmega";
        SentMessage sent = carrierDevice.client().send("+447700900102", text);
        JsonNode submit = smsc.await("submit_sm to 447700900102", WAIT, event("submit_sm", "to", "447700900102"));
        assertEquals(0x08, submit.get("dataCoding").asInt(), "text outside GSM 03.38 goes out as UCS-2: " + submit);
        assertEquals(text, submit.get("text").asText(), "the emoji's surrogate pair survives");
        awaitStatus(carrierDevice, sent, "delivered");
    }

    @Test
    void undeliverableReceiptFromTheNpmSmscFailsTheMessageWithItsStat() {
        smsc.send("AUTO_RECEIPTS off");
        smsc.await("receipts switched off", WAIT, e -> e.path("event").asText().equals("auto_receipts") && !e.get("on").asBoolean());
        try {
            SentMessage sent = carrierDevice.client().send("+447700900103", "Non arriverà");
            JsonNode submit = smsc.await("submit_sm to 447700900103", WAIT, event("submit_sm", "to", "447700900103"));
            awaitStatus(carrierDevice, sent, "sent");
            String smscId = submit.get("messageId").asText();
            smsc.send("RECEIPT " + smscId + " UNDELIV 001");
            JsonNode receipt = smsc.await("the receipt of " + smscId, WAIT, event("receipt", "messageId", smscId));
            assertEquals(STATUS_OK, receipt.get("status").asInt(), receipt.toString());
            awaitStatus(carrierDevice, sent, "failed");
            JsonNode message = message(carrierDevice, sent);
            assertTrue(message.get("statusReason").asText().contains("UNDELIV"), message.toString());
        } finally {
            smsc.send("AUTO_RECEIPTS on");
        }
    }

    @Test
    void ucs2MobileOriginatedFromTheNpmSmscReachesTheNumbersDevice() {
        String text = "Ciao, è arrivato? 🙂";
        smsc.send("MO 447700900104 390617170001 " + text);
        JsonNode mo = smsc.await("deliver_sm_resp for the MO", WAIT, event("mo", "from", "447700900104"));
        assertEquals(STATUS_OK, mo.get("status").asInt(), "Switchboard stores the MO and answers ESME_ROK: " + mo);
        // deliver_sm_resp is sent after the commit, so the SMS is there now.
        JsonNode last = lastMessageWith(carrierDevice, "+447700900104");
        assertEquals(text, last.get("text").asText());
        assertEquals("in", last.get("direction").asText());
        assertEquals("sms", last.get("channel").asText());
        assertEquals("+447700900104", last.get("from").asText(), "TON 1 without a plus becomes E.164");
        assertEquals(CARRIER_SERVED, last.get("to").asText());
    }

    @Test
    void gsmMobileOriginatedWithDataCoding0KeepsEscapesAndAt() {
        String text = "Prezzo: 10€ @ casa_mia {ok} [x]";
        smsc.send("MO_DC 0 447700900105 390617170001 " + text);
        JsonNode mo = smsc.await("deliver_sm_resp for the MO", WAIT, event("mo", "from", "447700900105"));
        assertEquals(STATUS_OK, mo.get("status").asInt(), mo.toString());
        assertEquals(text, lastMessageWith(carrierDevice, "+447700900105").get("text").asText(),
                "unpacked GSM 03.38 with the extension table, read as the carrier's dataCoding0 (gsm7)");
    }

    // ---- npm ESME -> Switchboard's server (SMSC role) ----

    @Test
    void ucs2SubmitFromTheNpmEsmeReachesTheServedNumbersDevice() throws Exception {
        String text = "Ciao, è arrivato? 🙂 Ωmega";
        try (NodePeer esme = bindEsme("npmesme", "secret")) {
            esme.send("SUBMIT_DC 8 447700900201 390617170002 " + text);
            JsonNode resp = esme.await("submit_sm_resp", WAIT, event("submit_sm_resp", "from", "447700900201"));
            assertEquals(STATUS_OK, resp.get("status").asInt(), resp.toString());
            assertTrue(resp.get("messageId").asText().matches("[0-9a-f]{16}"), "a message id comes back: " + resp);
        }
        // submit_sm_resp is sent after the commit, so the SMS is there now.
        JsonNode last = lastMessageWith(serverDevice, "+447700900201");
        assertEquals(text, last.get("text").asText());
        assertEquals("+447700900201", last.get("from").asText(), "the sender, TON 1 without a plus, as E.164");
        assertEquals(SERVER_SERVED, last.get("to").asText());
        assertEquals("in", last.get("direction").asText());
        assertEquals("sms", last.get("channel").asText());
    }

    @Test
    void gsmSubmitWithDataCoding0FromTheNpmEsmeKeepsEscapesAndAt() throws Exception {
        String text = "Offerta: 5€ @ bar_centrale {ok}";
        try (NodePeer esme = bindEsme("npmesme", "secret")) {
            esme.send("SUBMIT_DC 0 447700900202 390617170002 " + text);
            JsonNode resp = esme.await("submit_sm_resp", WAIT, event("submit_sm_resp", "from", "447700900202"));
            assertEquals(STATUS_OK, resp.get("status").asInt(), resp.toString());
            assertEquals(0, resp.get("dataCoding").asInt());
        }
        assertEquals(text, lastMessageWith(serverDevice, "+447700900202").get("text").asText());
    }

    @Test
    void plainTextWithTheNpmDefaultDataCoding1Arrives() throws Exception {
        // The npm package labels GSM 03.38 text data_coding 1, which the server reads as IA5; the two
        // agree on letters, digits and this punctuation, so this text must arrive unchanged.
        String text = "Ci sei? Alle 8, in piazza. OK!";
        try (NodePeer esme = bindEsme("npmesme", "secret")) {
            esme.send("SUBMIT 447700900203 390617170002 " + text);
            JsonNode resp = esme.await("submit_sm_resp", WAIT, event("submit_sm_resp", "from", "447700900203"));
            assertEquals(STATUS_OK, resp.get("status").asInt(), resp.toString());
            assertEquals(1, resp.get("dataCoding").asInt(), "the npm package's own choice for GSM text");
        }
        assertEquals(text, lastMessageWith(serverDevice, "+447700900203").get("text").asText());
    }

    @Test
    void npmEsmeGetsAReceiptForItsSubmitAndTheDevicesReplyAsDeliverSm() throws Exception {
        try (NodePeer esme = bindEsme("npmesme", "secret")) {
            // esme.js asks for registered_delivery 1; +49 matches no prefix, so the reply goes back the way the MO came.
            esme.send("SUBMIT_DC 0 4915112345678 390617170002 Ci sei domani?");
            JsonNode resp = esme.await("submit_sm_resp", WAIT, event("submit_sm_resp", "from", "4915112345678"));
            assertEquals(STATUS_OK, resp.get("status").asInt(), resp.toString());
            String messageId = resp.get("messageId").asText();
            JsonNode receipt = esme.await("the receipt of " + messageId, WAIT, event("deliver_sm", "receiptedMessageId", messageId));
            assertTrue(receipt.get("receipt").asBoolean(), "esm_class 0x04: " + receipt);
            assertEquals(2, receipt.get("messageState").asInt(), "message_state DELIVERED");
            assertTrue(receipt.get("text").asText().startsWith("id:" + messageId + " sub:001 dlvrd:001 submit date:"), receipt.toString());
            assertTrue(receipt.get("text").asText().contains(" stat:DELIVRD err:000 text:Ci sei domani?"), receipt.toString());
            assertEquals("390617170002", receipt.get("from").asText(), "from the recipient");
            assertEquals("4915112345678", receipt.get("to").asText(), "to the originator");

            Eventually.await("the conversation", WAIT, () -> serverDevice.client().conversationWith("+4915112345678").isPresent());
            SentMessage sent = serverDevice.client().send("+4915112345678", "Sì, a domani 👋");
            Predicate<JsonNode> reply = e -> event("deliver_sm", "to", "4915112345678").test(e) && !e.path("receipt").asBoolean();
            gw.awaitWhileTimePasses("the reply on the npm ESME", WAIT, () -> esme.count(reply) > 0);
            JsonNode d = esme.await("the reply", WAIT, reply);
            assertEquals("Sì, a domani 👋", d.get("text").asText(), "the npm ESME decodes the UCS-2 reply: " + d);
            assertEquals(8, d.get("dataCoding").asInt());
            assertEquals("390617170002", d.get("from").asText());
            assertEquals(1, d.get("fromTon").asInt());
            assertEquals(1, d.get("toTon").asInt());
            awaitStatus(serverDevice, sent, "sent");
            assertEquals(1L, esme.count(reply), "delivered once");
            assertEquals(1L, esme.count(event("deliver_sm", "receiptedMessageId", messageId)), "one receipt");
        }
    }

    @Test
    void submitToANumberOutsideTheAccountIsRefusedWithInvalidDestination() throws Exception {
        try (NodePeer esme = bindEsme("npmesme", "secret")) {
            esme.send("SUBMIT_DC 0 447700900204 390617170001 not yours");
            JsonNode resp = esme.await("submit_sm_resp", WAIT, event("submit_sm_resp", "from", "447700900204"));
            assertEquals(ESME_RINVDSTADR, resp.get("status").asInt(), "ESME_RINVDSTADR: " + resp);
            // The session survives the refusal.
            esme.send("SUBMIT_DC 0 447700900205 390617170002 still bound");
            JsonNode next = esme.await("submit_sm_resp", WAIT, event("submit_sm_resp", "from", "447700900205"));
            assertEquals(STATUS_OK, next.get("status").asInt(), next.toString());
        }
        assertTrue(carrierDevice.client().conversationWith("+447700900204").isEmpty(), "nothing stored for the refused submit");
    }

    @Test
    void wrongPasswordAndUnknownSystemIdAreRefusedAtBind() throws Exception {
        try (NodePeer esme = NodePeer.start(peers, "esme.js", "127.0.0.1", Integer.toString(serverPort), "npmesme", "wrong")) {
            JsonNode resp = esme.await("bind_resp", WAIT, e -> e.path("event").asText().equals("bind_resp"));
            assertEquals(ESME_RINVPASWD, resp.get("status").asInt(), "ESME_RINVPASWD: " + resp);
            assertEquals("0x0000000e", resp.get("statusHex").asText());
            JsonNode closed = esme.await("the session to end", WAIT, e -> e.path("event").asText().equals("close"));
            assertFalse(closed.get("bound").asBoolean());
        }
        try (NodePeer esme = NodePeer.start(peers, "esme.js", "127.0.0.1", Integer.toString(serverPort), "stranger", "secret")) {
            JsonNode resp = esme.await("bind_resp", WAIT, e -> e.path("event").asText().equals("bind_resp"));
            assertEquals(ESME_RINVSYSID, resp.get("status").asInt(), "ESME_RINVSYSID: " + resp);
        }
    }

    // ---- helpers ----

    private static NodePeer bindEsme(String systemId, String password) throws IOException {
        NodePeer esme = NodePeer.start(peers, "esme.js", "127.0.0.1", Integer.toString(serverPort), systemId, password);
        try {
            JsonNode resp = esme.await("bind_resp", WAIT, e -> e.path("event").asText().equals("bind_resp"));
            assertEquals(STATUS_OK, resp.get("status").asInt(), "the npm ESME binds: " + resp);
            return esme;
        } catch (RuntimeException | Error e) {
            esme.close();
            throw e;
        }
    }

    private static Predicate<JsonNode> event(String type, String field, String value) {
        return e -> e.path("event").asText().equals(type) && e.path(field).asText().equals(value);
    }

    private static JsonNode lastMessageWith(Device device, String peer) {
        JsonNode conversation = device.client().conversationWith(peer)
                .orElseThrow(() -> new AssertionError("no conversation with " + peer + " on " + device.number()));
        return conversation.get("lastMessage");
    }

    private static JsonNode message(Device device, SentMessage sent) {
        return device.client().allMessages(sent.conversationId()).stream()
                .filter(m -> m.get("id").asText().equals(sent.id())).findFirst().orElseThrow();
    }

    /**
     * Retries are scheduled on the gateway's clock, which tests hold still; each look moves it on
     * two seconds so a backed-off message becomes due without the test sleeping.
     */
    private static void awaitStatus(Device device, SentMessage sent, String expected) {
        try {
            gw.awaitWhileTimePasses("status " + expected, WAIT, () -> message(device, sent).get("status").asText().equals(expected));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the message is " + message(device, sent) + "; the npm SMSC printed:\n"
                    + smsc.transcript(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One of the node scripts as a child process: its JSON lines collected as they come, commands
     * written to its stdin. {@link #close()} ends it (closing stdin first, which the scripts take as
     * the signal to stop) and never leaves it running.
     */
    static final class NodePeer implements AutoCloseable {
        private static final String SMPP_VERSION = "0.5.1";
        private static final ObjectMapper JSON = new ObjectMapper();

        private final String name;
        private final Process process;
        private final Writer stdin;
        private final List<JsonNode> events = new ArrayList<>();
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder stderr = new StringBuilder();
        private boolean ended;

        private NodePeer(String name, Process process) {
            this.name = name;
            this.process = process;
            this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            daemon(name + "-out", () -> readStdout(process));
            daemon(name + "-err", () -> readStderr(process));
        }

        /** The scripts' folder: {@code src/test/node} of the gateway module, wherever the build was started. */
        static Path folder() {
            Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
            for (Path candidate : List.of(module.resolve("src/test/node"), module.resolve("gateway/src/test/node"))) {
                if (Files.isRegularFile(candidate.resolve("smsc.js"))) {
                    return candidate.toAbsolutePath();
                }
            }
            throw new AssertionError("no src/test/node with smsc.js under " + module.toAbsolutePath());
        }

        /**
         * Why node or the npm {@code smpp} package cannot be used from the folder, with what to run
         * about it; null when both are there.
         */
        static String missingPeers(Path folder) {
            String problem = problem(folder);
            return problem == null ? null
                    : problem + ": the interop peers need Node.js and `npm ci --prefix gateway/src/test/node`";
        }

        private static String problem(Path folder) {
            Process p;
            try {
                p = new ProcessBuilder("node", "-e", "process.stdout.write(require('smpp/package.json').version)")
                        .directory(folder.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                return "`node` is not on the PATH (" + e.getMessage() + ")";
            }
            try {
                p.getOutputStream().close();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    return "`node` did not answer within 30 s";
                }
                if (p.exitValue() != 0) {
                    return "the npm `smpp` package cannot be loaded from " + folder + " (" + errorLine(output) + ")";
                }
                if (!output.equals(SMPP_VERSION)) {
                    return "npm `smpp` " + output + " is installed in " + folder + ", the tests are written for " + SMPP_VERSION;
                }
                return null;
            } catch (IOException e) {
                return "`node` failed: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while checking for node";
            } finally {
                p.destroyForcibly();
            }
        }

        /** Node's error line ("Error: Cannot find module ...") rather than its stack. */
        private static String errorLine(String output) {
            return output.lines().filter(l -> l.contains("Error")).findFirst().orElse(output.lines().findFirst().orElse("")).trim();
        }

        static NodePeer start(Path folder, String script, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("node", script));
            command.addAll(List.of(args));
            return new NodePeer(script, new ProcessBuilder(command).directory(folder.toFile()).start());
        }

        private static void daemon(String name, Runnable body) {
            Thread t = new Thread(body, "node-" + name);
            t.setDaemon(true);
            t.start();
        }

        private void readStdout(Process p) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    JsonNode event = null;
                    if (line.startsWith("{")) {
                        try {
                            event = JSON.readTree(line);
                        } catch (IOException e) {
                            // Not JSON after all: kept as a plain line for the transcript.
                        }
                    }
                    synchronized (this) {
                        lines.add(line);
                        if (event != null) {
                            events.add(event);
                        }
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process went away; what it printed so far stays in the transcript.
            } finally {
                synchronized (this) {
                    ended = true;
                    notifyAll();
                }
            }
        }

        private void readStderr(Process p) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (this) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // The process went away.
            }
        }

        /** Writes one command line to the script. */
        void send(String line) {
            try {
                synchronized (stdin) {
                    stdin.write(line);
                    stdin.write('\n');
                    stdin.flush();
                }
            } catch (IOException e) {
                throw new AssertionError(name + " no longer takes commands (" + e.getMessage() + "):\n" + transcript(), e);
            }
        }

        /** The first event so far that matches, waiting for one until the timeout. */
        synchronized JsonNode await(String what, Duration timeout, Predicate<JsonNode> condition) {
            long deadline = System.nanoTime() + timeout.toNanos();
            int from = 0;
            while (true) {
                for (; from < events.size(); from++) {
                    if (condition.test(events.get(from))) {
                        return events.get(from);
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError((ended ? name + " ended" : "timed out") + " waiting for " + what + "; transcript:\n"
                            + transcript());
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what, e);
                }
            }
        }

        synchronized long count(Predicate<JsonNode> condition) {
            return events.stream().filter(condition).count();
        }

        /** The port from the {@code PORT <n>} line smsc.js prints once it listens. */
        synchronized int awaitPort(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (String line : lines) {
                    if (line.startsWith("PORT ")) {
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError(name + " printed no PORT line; transcript:\n" + transcript());
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for the port", e);
                }
            }
        }

        /** Everything the script printed, for failure messages. */
        synchronized String transcript() {
            return String.join("\n", lines) + (stderr.isEmpty() ? "" : "\n[stderr]\n" + stderr);
        }

        @Override
        public void close() {
            try {
                synchronized (stdin) {
                    stdin.close();
                }
            } catch (IOException e) {
                // Already closed by the process's end.
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
