package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.TestGateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Carriers bind to Switchboard's SMPP server with jsmpp, a real SMPP client over TCP. */
class SmppServerTest {
    private static final String SERVED = "+390614140001";
    private static final String OTHER_SERVED = "+390614140002";
    private static final int PORT = freePort();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_SERVER_PORT", Integer.toString(PORT),
            "SWITCHBOARD_SMPP_SERVER_ACCOUNTS", "[{\"systemId\":\"carrier1\",\"password\":\"secret\",\"numbers\":[\"" + SERVED
                    + "\"],\"prefixes\":[\"+44\"],\"throughput\":50}]"));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        gw.primary(OTHER_SERVED);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SMPPSession bind(String systemId, String password) throws IOException {
        SMPPSession session = new SMPPSession();
        session.connectAndBind("127.0.0.1", PORT, new BindParameter(BindType.BIND_TRX, systemId, password, "",
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
        return session;
    }

    private static String submit(SMPPSession session, String from, String to, byte[] text, Alphabet alphabet) throws Exception {
        return session.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, to, new ESMClass(), (byte) 0, (byte) 1, null, null,
                new RegisteredDelivery(0), (byte) 0, new GeneralDataCoding(alphabet), (byte) 0, text).getMessageId();
    }

    @Test
    void submitSmToAServedNumberReachesItsDevicesAsAnInboundSms() throws Exception {
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = device.client().stream(CursorStore.inMemory(0), events)) {
            SMPPSession session = bind("carrier1", "secret");
            try {
                String id = submit(session, "447700900123", SERVED.substring(1), "Ciao, è arrivato?".getBytes(StandardCharsets.UTF_16BE),
                        Alphabet.ALPHA_UCS2);
                assertTrue(id.matches("[0-9a-f]{16}"), id);
            } finally {
                session.unbindAndClose();
            }
            Predicate<SyncEvent> sms = e -> e.type().equals("message.created") && e.data().get("channel").asText().equals("sms")
                    && e.data().get("direction").asText().equals("in") && e.data().get("from").asText().equals("+447700900123");
            events.await("the SMS on the device", Duration.ofSeconds(30), r -> r.count(sms) == 1);
            SyncEvent event = events.events().stream().filter(sms).findFirst().orElseThrow();
            assertEquals("Ciao, è arrivato?", event.data().get("text").asText());
            assertEquals("+447700900123", event.data().get("from").asText(), "TON 1 without a plus becomes E.164");
            assertEquals(SERVED, event.data().get("to").asText());
        }
    }

    @Test
    void wrongPasswordAndUnknownSystemIdAreRefusedAtBind() {
        IOException wrongPassword = assertThrows(IOException.class, () -> bind("carrier1", "nope"));
        assertEquals(SMPPConstant.STAT_ESME_RINVPASWD, ((NegativeResponseException) wrongPassword.getCause()).getCommandStatus());
        IOException unknown = assertThrows(IOException.class, () -> bind("stranger", "secret"));
        assertEquals(SMPPConstant.STAT_ESME_RINVSYSID, ((NegativeResponseException) unknown.getCause()).getCommandStatus());
    }

    @Test
    void destinationOutsideTheAccountIsRefusedAndNothingIsStored() throws Exception {
        long before = device.client().sync(0, 1000).next();
        SMPPSession session = bind("carrier1", "secret");
        try {
            for (String to : new String[] {OTHER_SERVED.substring(1), "15550001111"}) {
                NegativeResponseException e = assertThrows(NegativeResponseException.class,
                        () -> submit(session, "447700900123", to, "x".getBytes(StandardCharsets.US_ASCII), Alphabet.ALPHA_DEFAULT));
                assertEquals(SMPPConstant.STAT_ESME_RINVDSTADR, e.getCommandStatus());
            }
            // The session survives a refused submit and still works.
            submit(session, "447700900124", SERVED.substring(1), "still here".getBytes(StandardCharsets.US_ASCII), Alphabet.ALPHA_DEFAULT);
        } finally {
            session.unbindAndClose();
        }
        assertEquals(before + 1, device.client().sync(0, 1000).next(), "only the accepted message was stored");
    }

    @Test
    void submittingFasterThanTheAccountsThroughputIsThrottled() throws Exception {
        SMPPSession session = bind("carrier1", "secret");
        int throttled = 0;
        try {
            for (int i = 0; i < 120 && throttled == 0; i++) {
                try {
                    submit(session, "447700900125", SERVED.substring(1), ("burst " + i).getBytes(StandardCharsets.US_ASCII),
                            Alphabet.ALPHA_DEFAULT);
                } catch (NegativeResponseException e) {
                    assertEquals(SMPPConstant.STAT_ESME_RTHROTTLED, e.getCommandStatus());
                    throttled++;
                }
            }
        } finally {
            session.unbindAndClose();
        }
        assertEquals(1, throttled, "a burst beyond 50/s gets ESME_RTHROTTLED");
    }

    @Test
    void unsupportedOperationsAnswerWithTheirErrorStatus() throws Exception {
        SMPPSession session = bind("carrier1", "secret");
        try {
            NegativeResponseException e = assertThrows(NegativeResponseException.class,
                    () -> session.queryShortMessage("abc", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "447700900123"));
            assertEquals(SMPPConstant.STAT_ESME_RQUERYFAIL, e.getCommandStatus());
            // enquire_link is answered: the session is still bound afterwards.
            assertTrue(session.getSessionState().isBound());
        } finally {
            session.unbindAndClose();
        }
    }
}
