package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SMPP server under faults and bad input: nothing lost, nothing stored wrongly, sessions survive where SMPP says. */
class SmppServerFaultTest {
    private static final String SERVED = "+390618180001";
    private static final int PORT = freePort();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_SERVER_PORT", Integer.toString(PORT),
            "SWITCHBOARD_SMPP_SERVER_ACCOUNTS", "[{\"systemId\":\"carrier1\",\"password\":\"secret\",\"numbers\":[\"" + SERVED + "\"]}]"));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SMPPSession bind() throws IOException {
        SMPPSession session = new SMPPSession();
        session.connectAndBind("127.0.0.1", PORT, new BindParameter(BindType.BIND_TRX, "carrier1", "secret", "",
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
        return session;
    }

    private static void submit(SMPPSession session, String from, byte[] payload, byte dataCoding) throws Exception {
        session.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, SERVED.substring(1), new ESMClass(), (byte) 0, (byte) 1,
                null, null, new RegisteredDelivery(0), (byte) 0, DataCodings.newInstance(dataCoding), (byte) 0, payload);
    }

    private static long messagesFrom(String from) {
        return device.client().conversationWith(from).map(c -> (long) device.client().allMessages(c.get("id").asText()).size()).orElse(0L);
    }

    @Test
    void whileTheDatabaseIsDownThePeerIsToldToRetryAndEachMessageArrivesOnce() throws Exception {
        SMPPSession session = bind();
        try (Connection admin = gw.jdbc()) {
            String db = admin.getCatalog();
            try (Connection superuser = java.sql.DriverManager.getConnection(gw.jdbcUrlOf("postgres"), "postgres", "");
                 Statement s = superuser.createStatement()) {
                // The gateway's database goes away: no new connections, and the open ones are cut.
                s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()");
                try {
                    NegativeResponseException e = assertThrows(NegativeResponseException.class,
                            () -> submit(session, "447700900301", "first try".getBytes(StandardCharsets.US_ASCII), (byte) 0));
                    assertEquals(SMPPConstant.STAT_ESME_RX_T_APPN, e.getCommandStatus(), "the peer is told to retry later");
                } finally {
                    s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
                }
            }
            // The peer retries, as ESME_RX_T_APPN asks: now it is stored, once.
            submit(session, "447700900301", "first try".getBytes(StandardCharsets.US_ASCII), (byte) 0);
        } finally {
            session.unbindAndClose();
        }
        assertEquals(1, messagesFrom("+447700900301"));
    }

    @Test
    void lastSegmentRefusedWhileTheDatabaseIsDownCompletesTheSetOnceWhenRetried() throws Exception {
        SMPPSession session = bind();
        try (Connection admin = gw.jdbc()) {
            submitSegment(session, "447700900303", new byte[] {5, 0x00, 3, 0x3C, 2, 1}, "Prima metà, ");
            String db = admin.getCatalog();
            try (Connection superuser = java.sql.DriverManager.getConnection(gw.jdbcUrlOf("postgres"), "postgres", "");
                 Statement s = superuser.createStatement()) {
                s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()");
                try {
                    NegativeResponseException e = assertThrows(NegativeResponseException.class,
                            () -> submitSegment(session, "447700900303", new byte[] {5, 0x00, 3, 0x3C, 2, 2}, "seconda metà."));
                    assertEquals(SMPPConstant.STAT_ESME_RX_T_APPN, e.getCommandStatus(), "the peer is told to retry the segment later");
                } finally {
                    s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
                }
            }
            assertEquals(0, messagesFrom("+447700900303"), "the set is not complete without the refused segment");
            // The peer retries both, as peers that lost track do: the set completes once.
            submitSegment(session, "447700900303", new byte[] {5, 0x00, 3, 0x3C, 2, 2}, "seconda metà.");
            submitSegment(session, "447700900303", new byte[] {5, 0x00, 3, 0x3C, 2, 1}, "Prima metà, ");
        } finally {
            session.unbindAndClose();
        }
        assertEquals(1, messagesFrom("+447700900303"));
        String conversation = device.client().conversationWith("+447700900303").orElseThrow().get("id").asText();
        assertEquals("Prima metà, seconda metà.", device.client().allMessages(conversation).get(0).get("text").asText());
    }

    private static void submitSegment(SMPPSession session, String from, byte[] udh, String text) throws Exception {
        byte[] payload = dev.switchboard.carrier.sms.SmsEncoding.GSM7.encode(text);
        byte[] shortMessage = java.util.Arrays.copyOf(udh, udh.length + payload.length);
        System.arraycopy(payload, 0, shortMessage, udh.length, payload.length);
        session.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, SERVED.substring(1), new ESMClass(0x40), (byte) 0, (byte) 1,
                null, null, new RegisteredDelivery(0), (byte) 0, DataCodings.newInstance((byte) 0), (byte) 0, shortMessage);
    }

    @Test
    void unsupportedDataCodingIsRefusedAndTheSessionGoesOn() throws Exception {
        SMPPSession session = bind();
        try {
            NegativeResponseException e = assertThrows(NegativeResponseException.class,
                    () -> submit(session, "447700900302", new byte[] {1, 2, 3}, (byte) 0x04));
            assertEquals(SMPPConstant.STAT_ESME_RINVDCS, e.getCommandStatus());
            submit(session, "447700900302", "valid".getBytes(StandardCharsets.US_ASCII), (byte) 0);
        } finally {
            session.unbindAndClose();
        }
        assertEquals(1, messagesFrom("+447700900302"), "only the valid message was stored");
    }

    @Test
    void garbageOnTheWireIsAnsweredWithGenericNackOrCloseAndStoresNothing() throws Exception {
        long before = device.client().sync(0, 1000).next();
        try (Socket raw = new Socket("127.0.0.1", PORT)) {
            raw.setSoTimeout(10_000);
            OutputStream out = raw.getOutputStream();
            // A PDU header claiming command_id 0x0000FFFF (no such command), then a bind with a command_length too short.
            out.write(ByteBuffer.allocate(16).putInt(16).putInt(0x0000FFFF).putInt(0).putInt(1).array());
            out.flush();
            DataInputStream in = new DataInputStream(raw.getInputStream());
            try {
                int length = in.readInt();
                int commandId = in.readInt();
                int status = in.readInt();
                assertEquals(16, length);
                assertEquals(0x80000000, commandId, "generic_nack");
                assertEquals(SMPPConstant.STAT_ESME_RINVCMDID, status);
            } catch (java.io.EOFException closed) {
                // Before a bind SMPP allows closing the connection instead of answering: also fine.
                assertEquals(-1, in.read());
            }
        }
        assertEquals(before, device.client().sync(0, 1000).next(), "nothing was stored");
        // The server still takes binds after the bad connection.
        SMPPSession session = bind();
        assertTrue(session.getSessionState().isBound());
        session.unbindAndClose();
    }

    // --- raw PDUs: what no SMPP library would send ------------------------------------------------

    /** Bound over a raw socket as carrier1, asserting the bind_transceiver_resp. */
    private static RawSmpp rawBound() throws IOException {
        RawSmpp raw = new RawSmpp(PORT);
        try {
            RawSmpp.Pdu resp = raw.bind("carrier1", "secret");
            assertEquals(RawSmpp.BIND_TRANSCEIVER_RESP, resp.commandId(), resp::toString);
            assertEquals(SMPPConstant.STAT_ESME_ROK, resp.status(), resp::toString);
            return raw;
        } catch (IOException | RuntimeException | Error e) {
            raw.close();
            throw e;
        }
    }

    private static long syncHead() {
        return device.client().sync(0, 1000).next();
    }

    /** A fresh bind works and its enquire_link is answered: the server took no harm from what came before. */
    private static void assertAFreshBindWorks() throws IOException {
        try (RawSmpp raw = rawBound()) {
            int seq = raw.nextSequence();
            raw.send(RawSmpp.ENQUIRE_LINK, seq, new byte[0]);
            RawSmpp.Pdu resp = raw.read();
            assertEquals(RawSmpp.ENQUIRE_LINK_RESP, resp.commandId(), resp::toString);
            assertEquals(seq, resp.sequence());
        }
    }

    @Test
    void unknownTlvIsIgnoredAndTheMessageStoredOnceWithItsText() throws Exception {
        try (RawSmpp raw = rawBound()) {
            byte[] body = RawSmpp.submitSm("447700900311", SERVED.substring(1), 0, "TLV sconosciuto".getBytes(StandardCharsets.US_ASCII))
                    .tlv(0x1401, new byte[] {0x01, 0x02, 0x03})  // vendor-specific, meaning nothing here
                    .tlv(0x3FFF, new byte[0])                    // reserved, empty
                    .bytes();
            int seq = raw.nextSequence();
            raw.send(RawSmpp.SUBMIT_SM, seq, body);
            RawSmpp.Pdu resp = raw.read();
            assertEquals(RawSmpp.SUBMIT_SM_RESP, resp.commandId(), resp::toString);
            assertEquals(SMPPConstant.STAT_ESME_ROK, resp.status(), "SMPP 3.4 5.3: unknown optional parameters are ignored");
            assertEquals(seq, resp.sequence());
            String messageId = new String(resp.body(), 0, resp.body().length - 1, StandardCharsets.US_ASCII);
            assertTrue(messageId.matches("[0-9a-f]{16}"), messageId);
        }
        assertEquals(1, messagesFrom("+447700900311"), "stored once");
        String conversation = device.client().conversationWith("+447700900311").orElseThrow().get("id").asText();
        assertEquals("TLV sconosciuto", device.client().allMessages(conversation).get(0).get("text").asText());
    }

    @Test
    void commandLengthTooShortForAHeaderIsNackedWithInvalidLengthAndTheConnectionClosed() throws Exception {
        long before = syncHead();
        try (RawSmpp raw = rawBound()) {
            // command_length 8: not even the 16 octets of a header.
            raw.sendBytes(ByteBuffer.allocate(8).putInt(8).putInt(RawSmpp.ENQUIRE_LINK).array());
            RawSmpp.Pdu nack = raw.read();
            assertEquals(RawSmpp.GENERIC_NACK, nack.commandId(), nack::toString);
            assertEquals(SMPPConstant.STAT_ESME_RINVCMDLEN, nack.status(), nack::toString);
            // The stream cannot be trusted after a bad length: the server ends the session.
            assertTrue(raw.closedByServer(), "the server closes the connection");
        }
        assertEquals(before, syncHead(), "nothing was stored");
        assertAFreshBindWorks();
    }

    @Test
    void hugeCommandLengthIsNackedWithInvalidLengthOrClosedAndAFreshBindWorks() throws Exception {
        long before = syncHead();
        try (RawSmpp raw = rawBound()) {
            // command_length 0x7FFFFFFF: no PDU is 2 GB; the server must not try to read (or allocate) it.
            raw.sendWithLength(0x7FFFFFFF, RawSmpp.SUBMIT_SM, raw.nextSequence(), new byte[0]);
            try {
                RawSmpp.Pdu nack = raw.read();
                assertEquals(RawSmpp.GENERIC_NACK, nack.commandId(), nack::toString);
                assertEquals(SMPPConstant.STAT_ESME_RINVCMDLEN, nack.status(), nack::toString);
            } catch (java.io.EOFException closed) {
                // Closing without a word is also what SMPP allows once the stream cannot be trusted.
            }
            assertTrue(raw.closedByServer(), "the server closes the connection");
        }
        assertEquals(before, syncHead(), "nothing was stored");
        assertAFreshBindWorks();
    }

    @Test
    void submitSmCutShortInsideDestinationAddrIsRefusedWithItsSequenceAndTheSessionGoesOn() throws Exception {
        try (RawSmpp raw = rawBound()) {
            String from = "447700900321";
            byte[] whole = RawSmpp.submitSm(from, SERVED.substring(1), 0, "mai arrivato".getBytes(StandardCharsets.US_ASCII)).bytes();
            // service_type NUL, TON, NPI, source_addr NUL, TON, NPI: then 4 digits of destination_addr, and the PDU ends.
            int cut = 1 + 2 + from.length() + 1 + 2 + 4;
            int seq = raw.nextSequence();
            raw.send(RawSmpp.SUBMIT_SM, seq, java.util.Arrays.copyOf(whole, cut));
            RawSmpp.Pdu resp = raw.read();
            assertTrue(resp.commandId() == RawSmpp.GENERIC_NACK || resp.commandId() == RawSmpp.SUBMIT_SM_RESP, resp::toString);
            assertTrue(resp.status() != SMPPConstant.STAT_ESME_ROK, resp::toString);
            assertEquals(seq, resp.sequence(), resp::toString);
            assertSessionGoesOn(raw, "447700900322", "dopo il troncato");
            assertEquals(0, messagesFrom("+" + from), "the cut-short submit_sm stored nothing");
        }
    }

    @Test
    void smLengthDisagreeingWithShortMessageOrAbove254IsRefusedAndTheSessionGoesOn() throws Exception {
        long before = syncHead();
        try (RawSmpp raw = rawBound()) {
            String from = "447700900331";
            byte[] a255 = new byte[255];
            java.util.Arrays.fill(a255, (byte) 'a');
            byte[][] bodies = {
                    RawSmpp.submitSm(from, SERVED.substring(1), 0, 20, "12345".getBytes(StandardCharsets.US_ASCII)).bytes(),
                    RawSmpp.submitSm(from, SERVED.substring(1), 0, 5, "123456789012".getBytes(StandardCharsets.US_ASCII)).bytes(),
                    RawSmpp.submitSm(from, SERVED.substring(1), 0, a255).bytes(),
            };
            for (byte[] body : bodies) {
                int seq = raw.nextSequence();
                raw.send(RawSmpp.SUBMIT_SM, seq, body);
                RawSmpp.Pdu resp = raw.read();
                assertTrue(resp.commandId() == RawSmpp.GENERIC_NACK || resp.commandId() == RawSmpp.SUBMIT_SM_RESP, resp::toString);
                assertTrue(resp.status() != SMPPConstant.STAT_ESME_ROK, resp::toString);
                assertEquals(seq, resp.sequence(), resp::toString);
            }
            int seq = raw.nextSequence();
            raw.send(RawSmpp.ENQUIRE_LINK, seq, new byte[0]);
            RawSmpp.Pdu link = raw.read();
            assertEquals(RawSmpp.ENQUIRE_LINK_RESP, link.commandId(), link::toString);
            assertEquals(seq, link.sequence());
            assertEquals(before, syncHead(), "nothing was stored");
            assertEquals(0, messagesFrom("+" + from));
            assertSessionGoesOn(raw, "447700900332", "dopo sm length sbagliato");
        }
    }

    /** On {@code raw}: enquire_link is answered, and a valid submit_sm is taken and stored once with its text. */
    private static void assertSessionGoesOn(RawSmpp raw, String from, String text) throws IOException {
        int linkSeq = raw.nextSequence();
        raw.send(RawSmpp.ENQUIRE_LINK, linkSeq, new byte[0]);
        RawSmpp.Pdu link = raw.read();
        assertEquals(RawSmpp.ENQUIRE_LINK_RESP, link.commandId(), link::toString);
        assertEquals(linkSeq, link.sequence());
        int seq = raw.nextSequence();
        raw.send(RawSmpp.SUBMIT_SM, seq, RawSmpp.submitSm(from, SERVED.substring(1), 0, text.getBytes(StandardCharsets.US_ASCII)).bytes());
        RawSmpp.Pdu resp = raw.read();
        assertEquals(RawSmpp.SUBMIT_SM_RESP, resp.commandId(), resp::toString);
        assertEquals(SMPPConstant.STAT_ESME_ROK, resp.status(), resp::toString);
        assertEquals(seq, resp.sequence());
        assertEquals(1, messagesFrom("+" + from), "the valid submit_sm is stored once");
        String conversation = device.client().conversationWith("+" + from).orElseThrow().get("id").asText();
        assertEquals(text, device.client().allMessages(conversation).get(0).get("text").asText());
    }

    @Test
    void enquireLinkAndUnbindAreAnsweredOverTheWire() throws Exception {
        try (RawSmpp raw = rawBound()) {
            int seq = 0x7ABCDEF0;
            raw.send(RawSmpp.ENQUIRE_LINK, seq, new byte[0]);
            RawSmpp.Pdu link = raw.read();
            assertEquals(new RawSmpp.Pdu(16, RawSmpp.ENQUIRE_LINK_RESP, SMPPConstant.STAT_ESME_ROK, seq, new byte[0]).toString(),
                    link.toString(), "enquire_link_resp, ESME_ROK, same sequence number, no body");
            int unbindSeq = raw.nextSequence();
            raw.send(RawSmpp.UNBIND, unbindSeq, new byte[0]);
            RawSmpp.Pdu unbind = raw.read();
            assertEquals(new RawSmpp.Pdu(16, RawSmpp.UNBIND_RESP, SMPPConstant.STAT_ESME_ROK, unbindSeq, new byte[0]).toString(),
                    unbind.toString(), "unbind_resp, ESME_ROK, same sequence number");
            // SMPP 3.4 leaves closing the connection to the ESME after unbind_resp; jsmpp waits for it: closed here.
        }
    }
}
