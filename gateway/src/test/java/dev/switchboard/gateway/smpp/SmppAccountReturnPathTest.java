package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The return path through Switchboard's own SMPP server: replies from devices go back to the
 * account as deliver_sm, and accounts get the receipts their registered_delivery asked for. A jsmpp
 * client plays the account, over TCP. Each test has an account of its own, so deliver_sm meant for
 * one test never lands on another test's bind.
 */
class SmppAccountReturnPathTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PORT = freePort();
    private static final String REPLY_SERVED = "+390618180001";
    private static final String PREFIX_SERVED = "+390618180002";
    private static final String WAIT_SERVED = "+390618180003";
    private static final String RECEIPT_SERVED = "+390618180004";
    private static final String QUEUED_RECEIPT_SERVED = "+390618180005";

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_SERVER_PORT", Integer.toString(PORT),
            "SWITCHBOARD_SMPP_SERVER_ACCOUNTS", "["
                    + account("replies", REPLY_SERVED, "") + ","
                    + account("prefixed", PREFIX_SERVED, "\"+4420\"") + ","
                    + account("latecomer", WAIT_SERVED, "\"+4430\"") + ","
                    + account("receipts", RECEIPT_SERVED, "") + ","
                    + account("unbound", QUEUED_RECEIPT_SERVED, "") + "]"));

    private static Device replyDevice;
    private static Device prefixDevice;
    private static Device waitDevice;
    private static Device receiptDevice;

    private static String account(String systemId, String number, String prefixes) {
        return "{\"systemId\":\"" + systemId + "\",\"password\":\"secret\",\"numbers\":[\"" + number + "\"],\"prefixes\":[" + prefixes
                + "],\"throughput\":1000}";
    }

    @BeforeAll
    static void enroll() throws Exception {
        replyDevice = gw.primary(REPLY_SERVED);
        prefixDevice = gw.primary(PREFIX_SERVED);
        waitDevice = gw.primary(WAIT_SERVED);
        receiptDevice = gw.primary(RECEIPT_SERVED);
        gw.primary(QUEUED_RECEIPT_SERVED);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bound account that records every deliver_sm it gets (and answers it ESME_ROK). */
    private static final class Account implements MessageReceiverListener, AutoCloseable {
        private final List<DeliverSm> delivered = new ArrayList<>();
        private final SMPPSession session = new SMPPSession();

        Account(String systemId, BindType type) throws IOException {
            session.setMessageReceiverListener(this);
            session.connectAndBind("127.0.0.1", PORT, new BindParameter(type, systemId, "secret", "", TypeOfNumber.UNKNOWN,
                    NumberingPlanIndicator.UNKNOWN, null));
        }

        @Override
        public synchronized void onAcceptDeliverSm(DeliverSm deliverSm) {
            delivered.add(deliverSm);
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {}

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("not here", 0x03);
        }

        synchronized List<DeliverSm> delivered() { return List.copyOf(delivered); }

        List<DeliverSm> await(String what, int count, Predicate<DeliverSm> which) {
            gw.awaitWhileTimePasses(what, WAIT, () -> delivered().stream().filter(which).count() >= count);
            return delivered().stream().filter(which).toList();
        }

        String submit(String from, String to, String text, int registeredDelivery) throws Exception {
            boolean gsm = text.chars().allMatch(c -> c < 0x80);
            return session.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                    TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, to, new ESMClass(), (byte) 0, (byte) 1, null, null,
                    new RegisteredDelivery(registeredDelivery), (byte) 0,
                    new GeneralDataCoding(gsm ? Alphabet.ALPHA_DEFAULT : Alphabet.ALPHA_UCS2), (byte) 0,
                    text.getBytes(gsm ? StandardCharsets.US_ASCII : StandardCharsets.UTF_16BE)).getMessageId();
        }

        @Override
        public void close() {
            session.unbindAndClose();
        }
    }

    private static boolean receipt(DeliverSm d) {
        return (d.getEsmClass() & 0x3C) == 0x04;
    }

    private static boolean userAck(DeliverSm d) {
        return (d.getEsmClass() & 0x3C) == 0x10;
    }

    private static String receiptedId(DeliverSm d) {
        OptionalParameter p = d.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
        return p == null ? null : ((OptionalParameter.COctetString) p).getValueAsString();
    }

    private static int messageState(DeliverSm d) {
        OptionalParameter p = d.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE);
        return p == null ? -1 : ((OptionalParameter.Byte) p).getValue();
    }

    private static String status(Device device, SentMessage sent) {
        return device.client().allMessages(sent.conversationId()).stream()
                .filter(m -> m.get("id").asText().equals(sent.id())).findFirst().orElseThrow().get("status").asText();
    }

    private static void awaitStatus(Device device, SentMessage sent, String expected) {
        gw.awaitWhileTimePasses("status " + expected, WAIT, () -> status(device, sent).equals(expected));
    }

    private static String awaitConversation(Device device, String peer) {
        Eventually.await("the conversation with " + peer, WAIT, () -> device.client().conversationWith(peer).isPresent());
        return device.client().conversationWith(peer).orElseThrow().get("id").asText();
    }

    private static byte[] shortMessage(DeliverSm d) {
        return d.getShortMessage() == null ? new byte[0] : d.getShortMessage();
    }

    @Test
    void replyToAnMoGoesBackToTheAccountAsDeliverSmAndTurnsSent() throws Exception {
        try (Account acct = new Account("replies", BindType.BIND_TRX)) {
            acct.submit("447700910001", REPLY_SERVED.substring(1), "Ci sei stasera?", 0);
            String conversation = awaitConversation(replyDevice, "+447700910001");

            // A short reply that needs UCS-2.
            SentMessage sent = replyDevice.client().send("+447700910001", "Sì, alle 8 😊");
            assertEquals(conversation, sent.conversationId());
            DeliverSm reply = acct.await("the reply", 1, d -> !receipt(d)).get(0);
            assertEquals(REPLY_SERVED.substring(1), reply.getSourceAddr(), "our number, TON 1 without '+'");
            assertEquals(TypeOfNumber.INTERNATIONAL.value(), reply.getSourceAddrTon());
            assertEquals(NumberingPlanIndicator.ISDN.value(), reply.getSourceAddrNpi());
            assertEquals("447700910001", reply.getDestAddress());
            assertEquals(TypeOfNumber.INTERNATIONAL.value(), reply.getDestAddrTon());
            assertEquals(0x08, reply.getDataCoding() & 0xFF, "UCS-2");
            assertEquals(0, reply.getEsmClass() & 0x40, "no UDH on a single segment");
            assertEquals("Sì, alle 8 😊", new String(shortMessage(reply), StandardCharsets.UTF_16BE));
            awaitStatus(replyDevice, sent, "sent");

            // A long reply: two segments with a concatenation UDH, same reference, indexes 1 and 2.
            String text = "Perfetto, ci vediamo davanti al cinema. ".repeat(5);
            SentMessage longSent = replyDevice.client().send("+447700910001", text);
            List<DeliverSm> parts = acct.await("the long reply", 3, d -> !receipt(d)).subList(1, 3);
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < 2; i++) {
                DeliverSm part = parts.get(i);
                assertTrue((part.getEsmClass() & 0x40) != 0, "UDHI set");
                byte[] sm = shortMessage(part);
                assertArrayEquals(new byte[] {5, 0, 3, sm[3], 2, (byte) (i + 1)}, Arrays.copyOf(sm, 6));
                assertEquals(shortMessage(parts.get(0))[3], sm[3], "one reference for the set");
                assertEquals(0, part.getDataCoding() & 0xFF, "GSM 7-bit");
                joined.append(new String(Arrays.copyOfRange(sm, 6, sm.length), StandardCharsets.US_ASCII));
            }
            assertEquals(text, joined.toString());
            awaitStatus(replyDevice, longSent, "sent");
            try (Connection c = gw.jdbc(); PreparedStatement q = c.prepareStatement(
                    "SELECT count(*), min(carrier) FROM sms_submissions WHERE message_id = ?")) {
                q.setString(1, longSent.id());
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    assertEquals(2, r.getInt(1), "both segments recorded");
                    assertEquals("replies", r.getString(2));
                }
            }
        }
    }

    @Test
    void accountPrefixRoutesAMessageWithoutAnyPriorInbound() throws Exception {
        try (Account acct = new Account("prefixed", BindType.BIND_TRX)) {
            SentMessage sent = prefixDevice.client().send("+442079460001", "Buongiorno Londra");
            DeliverSm d = acct.await("the message on the prefixed account", 1, x -> true).get(0);
            assertEquals("442079460001", d.getDestAddress());
            assertEquals(PREFIX_SERVED.substring(1), d.getSourceAddr());
            assertEquals("Buongiorno Londra", new String(shortMessage(d), StandardCharsets.US_ASCII));
            awaitStatus(prefixDevice, sent, "sent");
        }
    }

    @Test
    void replyWaitsWhileTheAccountHasNoReceiverBindAndGoesOutWhenItBinds() throws Exception {
        SentMessage sent;
        // A transmitter bind cannot receive: the message must wait for a receiver.
        try (Account transmitter = new Account("latecomer", BindType.BIND_TX)) {
            sent = waitDevice.client().send("+443012345678", "Quando ti colleghi?");
            gw.awaitWhileTimePasses("the worker to defer it", WAIT, () -> lastError(sent.id()).contains("latecomer"));
            assertEquals("queued", status(waitDevice, sent));
            assertTrue(transmitter.delivered().isEmpty());
        }
        try (Account receiver = new Account("latecomer", BindType.BIND_RX)) {
            DeliverSm d = receiver.await("the waiting message", 1, x -> true).get(0);
            assertEquals("443012345678", d.getDestAddress());
            assertEquals("Quando ti colleghi?", new String(shortMessage(d), StandardCharsets.US_ASCII));
            awaitStatus(waitDevice, sent, "sent");
            assertEquals(1, receiver.delivered().size(), "sent once");
        }
    }

    private static String lastError(String messageId) {
        try (Connection c = gw.jdbc(); PreparedStatement q = c.prepareStatement("SELECT last_error FROM outbox WHERE message_id = ?")) {
            q.setString(1, messageId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() && r.getString(1) != null ? r.getString(1) : "";
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void registeredDeliveryGetsADeliveredReceiptThenAReadNotificationEachOnce() throws Exception {
        try (Account acct = new Account("receipts", BindType.BIND_TRX)) {
            String quiet = acct.submit("447700920001", RECEIPT_SERVED.substring(1), "nessuna ricevuta", 0);
            // 0x09: an SMSC delivery receipt (bits 0-1 = 01) and a user acknowledgement (bits 2-3 = 10).
            String loud = acct.submit("447700920002", RECEIPT_SERVED.substring(1), "Ricevuta per favore, grazie mille", 0x09);

            DeliverSm delivered = acct.await("the delivered receipt", 1, d -> receipt(d) && loud.equals(receiptedId(d))).get(0);
            String text = new String(shortMessage(delivered), StandardCharsets.US_ASCII);
            assertTrue(text.matches("id:" + loud + " sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:000"
                    + " text:Ricevuta per favore,"), text);
            assertEquals(2, messageState(delivered), "message_state DELIVERED");
            assertEquals(RECEIPT_SERVED.substring(1), delivered.getSourceAddr(), "from the recipient");
            assertEquals("447700920002", delivered.getDestAddress(), "to the originator");

            String conversation = awaitConversation(receiptDevice, "+447700920002");
            String inbound = receiptDevice.client().allMessages(conversation).stream()
                    .filter(m -> m.get("direction").asText().equals("in")).map(m -> m.get("id").asText()).findFirst().orElseThrow();
            receiptDevice.client().markRead(conversation, inbound);
            DeliverSm read = acct.await("the read notification", 1, d -> userAck(d) && loud.equals(receiptedId(d))).get(0);
            assertTrue(new String(shortMessage(read), StandardCharsets.US_ASCII).contains(" stat:READ "));
            assertEquals(0, read.getEsmClass() & 0x04, "not an SMSC delivery receipt");

            // Marking read again changes nothing; a later receipt is the fence after which all earlier ones have gone out.
            receiptDevice.client().markRead(conversation, inbound);
            String fence = acct.submit("447700920003", RECEIPT_SERVED.substring(1), "recinto", 1);
            acct.await("the fence receipt", 1, d -> fence.equals(receiptedId(d)));
            List<DeliverSm> all = acct.delivered();
            assertEquals(1, all.stream().filter(d -> receipt(d) && loud.equals(receiptedId(d))).count(), "one delivered receipt");
            assertEquals(1, all.stream().filter(d -> userAck(d) && loud.equals(receiptedId(d))).count(), "one read notification");
            assertEquals(0, all.stream().filter(d -> quiet.equals(receiptedId(d))).count(), "none for registered_delivery 0");
            assertEquals(0, all.stream().filter(d -> userAck(d) && fence.equals(receiptedId(d))).count(),
                    "no read notification unless asked for");
        }
    }

    @Test
    void receiptOwedWhileTheAccountCannotReceiveIsDeliveredOnceItBinds() throws Exception {
        String id;
        try (Account transmitter = new Account("unbound", BindType.BIND_TX)) {
            id = transmitter.submit("447700930001", QUEUED_RECEIPT_SERVED.substring(1), "tienila da parte", 1);
            assertEquals("pending", receiptState(id), "kept durably while no receiver is bound");
            assertTrue(transmitter.delivered().isEmpty());
        }
        try (Account receiver = new Account("unbound", BindType.BIND_RX)) {
            DeliverSm d = receiver.await("the queued receipt", 1, x -> receipt(x) && id.equals(receiptedId(x))).get(0);
            assertTrue(new String(shortMessage(d), StandardCharsets.US_ASCII).startsWith("id:" + id + " "));
            Eventually.await("the receipt marked sent", WAIT, () -> receiptState(id).equals("sent"));
            assertEquals(1, receiver.delivered().size());
        }
    }

    private static String receiptState(String smppId) {
        try (Connection c = gw.jdbc(); PreparedStatement q = c.prepareStatement(
                "SELECT state FROM smpp_account_receipts WHERE smpp_id = ? AND kind = 'delivered'")) {
            q.setString(1, smppId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : "";
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
