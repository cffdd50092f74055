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
}
