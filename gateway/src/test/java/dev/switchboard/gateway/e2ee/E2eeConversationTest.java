package dev.switchboard.gateway.e2ee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.Attachment;
import dev.switchboard.client.CursorStore;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.smpp.SmscSimulator;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three numbers on one gateway: A (a primary and two companions) and B (a primary and a companion)
 * are both served and talk end to end; C is a carrier number behind an SMSC. A and B exchange 200
 * messages, some with attachments, from all five devices. Every device of both numbers reads every
 * message, through REST and through its live stream; the gateway's database and its log output
 * hold none of the plaintexts; the conversation with C says on every message that it is not end to
 * end encrypted.
 */
class E2eeConversationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String A = "+390617170001";
    private static final String B = "+390617170002";
    private static final String C = "+447700917003";
    private static final int MESSAGES = 200;
    private static final int ATTACHMENT_EVERY = 20;

    /** Opened before the gateway starts, so its whole life is captured. */
    static final LogCapture logs = new LogCapture();
    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"window\":4,\"throughput\":500,\"receiptIdBase\":\"hex\",\"dataCoding1\":\"gsm7\",\"prefixes\":[\"+44\"]}]"));

    private static final SecureRandom RANDOM = new SecureRandom();

    @AfterAll
    static void stopSmscAndCapture() {
        smsc.close();
        logs.close();
    }

    /** A word that occurs nowhere else: the test looks for it in the database and the logs. */
    private static String marker() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "zq" + HexFormat.of().formatHex(bytes) + "qz";
    }

    @Test
    void everyDeviceOfBothNumbersReadsEveryMessageAndTheGatewayKeepsNoPlaintext() throws Exception {
        smsc.awaitBound(WAIT);
        List<String> markers = new ArrayList<>();
        // By text: the two numbers' inboxes give the same message different ids.
        Set<String> texts = new TreeSet<>();
        Map<String, Attachment> attachments = new HashMap<>();
        {
            Device aPhone = gw.primary(A);
            Device aLaptop = gw.link(aPhone, "laptop");
            Device aTablet = gw.link(aPhone, "tablet");
            Device bPhone = gw.primary(B);
            bPhone.client().publishDeviceList(bPhone.keys(), ApprovedDevices.none());
            Device bLaptop = gw.link(bPhone, "laptop");
            List<E2eeParty> parties = List.of(new E2eeParty("aPhone", aPhone), new E2eeParty("aLaptop", aLaptop),
                    new E2eeParty("aTablet", aTablet), new E2eeParty("bPhone", bPhone), new E2eeParty("bLaptop", bLaptop));

            Map<E2eeParty, EventRecorder> recorders = new LinkedHashMap<>();
            List<SyncStream> streams = new ArrayList<>();
            try {
                for (E2eeParty party : parties) {
                    EventRecorder recorder = new EventRecorder();
                    recorders.put(party, recorder);
                    streams.add(party.device.client().stream(CursorStore.inMemory(0), recorder));
                }

                for (int i = 0; i < MESSAGES; i++) {
                    E2eeParty from = parties.get(i % parties.size());
                    String to = from.number().equals(A) ? B : A;
                    String marker = marker();
                    markers.add(marker);
                    String text = "message " + i + " says " + marker;
                    List<Attachment> files = List.of();
                    if (i % ATTACHMENT_EVERY == 0) {
                        String fileMarker = marker();
                        markers.add(fileMarker);
                        files = List.of(new Attachment(("the photo " + fileMarker).getBytes(StandardCharsets.UTF_8),
                                "image/jpeg", "photo-" + fileMarker + ".jpg"));
                    }
                    E2eeSender.Sent sent = from.sender.send(to, text, files);
                    assertTrue(sent.encrypted(), "message " + i + " from " + from + " went end to end");
                    assertEquals("onnet", sent.message().channel());
                    texts.add(text);
                    if (!files.isEmpty()) {
                        attachments.put(text, files.get(0));
                    }
                }

                // The live stream: every device gets all 200, each decrypts every one.
                for (E2eeParty party : parties) {
                    EventRecorder recorder = recorders.get(party);
                    recorder.await(MESSAGES + " e2ee messages on " + party, WAIT, r -> r.count(e2eeCreated()) == MESSAGES);
                    Set<String> read = new TreeSet<>();
                    for (SyncEvent event : recorder.events()) {
                        if (e2eeCreated().test(event)) {
                            DecryptedMessage message = party.decryptor.decrypt(event.data());
                            assertEquals(DecryptedMessage.Source.DECRYPTED, message.source(),
                                    party + " could not read a streamed message: " + message.error());
                            read.add(message.text());
                        }
                    }
                    assertEquals(texts, read, party + " read every text from its stream");
                }
            } finally {
                streams.forEach(SyncStream::close);
            }

            // REST: the same, and each attachment opens on every device.
            for (E2eeParty party : parties) {
                String peer = party.number().equals(A) ? B : A;
                JsonNode conversation = party.device.client().conversationWith(peer).orElseThrow();
                assertTrue(conversation.path("e2ee").asBoolean(), "the conversation is marked end to end on " + party);
                List<JsonNode> messages = party.device.client().allMessages(conversation.path("id").asText());
                assertEquals(MESSAGES, messages.size());
                Set<String> read = new TreeSet<>();
                for (DecryptedMessage message : party.decryptor.decryptAll(messages)) {
                    assertTrue(message.e2ee());
                    assertEquals(DecryptedMessage.Source.DECRYPTED, message.source(), party + ": " + message.error());
                    read.add(message.text());
                    Attachment sent = attachments.get(message.text());
                    if (sent != null) {
                        JsonNode part = message.attachments().get(0);
                        assertEquals(sent.fileName(), part.path("fileName").asText());
                        assertEquals("image/jpeg", part.path("contentType").asText());
                        assertArrayEquals(sent.bytes(), MessageDecryptor.attachment(party.device.client(), part),
                                party + " opened the attachment of " + message.id());
                    } else {
                        assertTrue(message.attachments().isEmpty());
                    }
                }
                assertEquals(texts, read, party + " read every text over REST");
            }

            // C, over SMS: not end to end, and said so on every message.
            String toC = "to C in the clear " + marker();
            E2eeSender.Sent sms = parties.get(0).sender.send(C, toC);
            assertFalse(sms.encrypted());
            smsc.awaitSubmitted(1, WAIT);
            assertTrue(smsc.submittedTo(C).stream().anyMatch(s -> s.text().contains(toC)), "C got the text over SMS");
            smsc.mobileOriginated(C.substring(1), A.substring(1), "C answers".getBytes(StandardCharsets.UTF_16BE), (byte) 8);
            gw.awaitWhileTimePasses("C's answer", WAIT, () -> aLaptop.client().conversationWith(C)
                    .map(c -> aLaptop.client().allMessages(c.path("id").asText()).size() == 2).orElse(false));
            for (E2eeParty party : parties.subList(0, 3)) {
                JsonNode withC = party.device.client().conversationWith(C).orElseThrow();
                assertFalse(withC.path("e2ee").asBoolean(true), "the conversation with C is not end to end on " + party);
                List<JsonNode> messages = party.device.client().allMessages(withC.path("id").asText());
                assertEquals(2, messages.size());
                for (JsonNode message : messages) {
                    assertTrue(message.has("e2ee"), "every message says whether it is end to end");
                    assertFalse(message.path("e2ee").asBoolean(true), "no message with C is end to end");
                    assertEquals(DecryptedMessage.Source.PLAIN, party.decryptor.decrypt(message).source());
                }
            }

            // Positive control: a body that does reach the log is found by the same capture and scan, so
            // the scan below can fail. (a) The gateway's HTTP handling (Vert.x, at the verbose levels the
            // capture turns on) logs a request's path: a path naming a fresh marker. (b) A gateway logger at TRACE, the marker as an argument;
            // (c) a marker only in the message of a nested cause, as a logged exception carries it.
            String inPath = marker();
            assertEquals(404, gw.get("/v1/conversations/" + inPath + "/messages", aPhone.token()).status());
            String asArgument = marker();
            String inCause = marker();
            org.slf4j.Logger gatewayLog = org.slf4j.LoggerFactory.getLogger("dev.switchboard.gateway.http.MessageRoutes");
            gatewayLog.trace("probe of the log scan: {}", asArgument);
            gatewayLog.debug("probe of the log scan", new IllegalStateException("outer", new RuntimeException("caused by " + inCause)));
            List<String> probes = List.of(inPath, asArgument, inCause);
            List<String> lines = logs.lines();
            for (String probe : probes) {
                assertFalse(leaks(lines, List.of(probe)).isEmpty(), "the log scan sees a logged marker: " + probe);
            }

            assertTrue(lines.stream().filter(line -> line.contains("POST") && line.contains("/v1/messages")).count() >= MESSAGES,
                    "the capture saw the gateway handle every send: " + lines.size() + " lines");
            assertEquals(List.of(), leaks(lines, markers), "a plaintext leaked into the log");

            try (Connection db = gw.jdbc()) {
                List<String> columns = PlaintextScan.scannedColumns(db);
                assertTrue(columns.contains("messages.content") && columns.contains("e2ee_payloads.ciphertext")
                        && columns.contains("sync_events.data"), "the scan covers the tables that matter: " + columns);
                assertEquals(List.of(), PlaintextScan.find(db, markers), "no plaintext anywhere in the database");
                // The scan does find what is stored in the clear: the SMS to C.
                String clearMarker = toC.substring(toC.lastIndexOf(' ') + 1);
                assertFalse(PlaintextScan.find(db, List.of(clearMarker)).isEmpty(), "the scan sees plaintext where there is some");
            }
        }
    }

    /** The captured lines that contain any of the markers. */
    private static List<String> leaks(List<String> lines, List<String> markers) {
        return lines.stream().filter(line -> markers.stream().anyMatch(line::contains)).toList();
    }

    private static Predicate<SyncEvent> e2eeCreated() {
        return e -> e.type().equals("message.created") && e.data().path("e2ee").asBoolean(false);
    }
}
