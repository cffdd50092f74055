package dev.switchboard.gateway.smpp;

import static dev.switchboard.gateway.smpp.LongSms.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.carrier.smpp.SmppInbound;
import dev.switchboard.carrier.sms.ConcatMode;
import dev.switchboard.carrier.sms.Segmenter;
import dev.switchboard.carrier.sms.SmsEncoding;
import dev.switchboard.carrier.sms.SmsPlan;
import dev.switchboard.carrier.sms.SmsSegment;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
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
    /** Long messages go to a number of their own, through an account whose throughput the burst test cannot use up. */
    private static final String LONG_SERVED = "+390614140003";
    private static final int PORT = freePort();

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of(
            "SWITCHBOARD_SMPP_SERVER_PORT", Integer.toString(PORT),
            "SWITCHBOARD_SMPP_SERVER_ACCOUNTS", "[{\"systemId\":\"carrier1\",\"password\":\"secret\",\"numbers\":[\"" + SERVED
                    + "\"],\"prefixes\":[\"+44\"],\"throughput\":50},"
                    + "{\"systemId\":\"longsms\",\"password\":\"secret\",\"numbers\":[\"" + LONG_SERVED + "\"],\"throughput\":10000},"
                    + "{\"systemId\":\"uk-only\",\"password\":\"secret\",\"numbers\":[\"" + SERVED + "\"],\"sources\":[\"\\\\+44.*\"]}]"));

    private static Device device;
    private static Device longDevice;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary(SERVED);
        gw.primary(OTHER_SERVED);
        longDevice = gw.primary(LONG_SERVED);
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
    void senderOutsideTheAccountsSourceRangesIsRefused() throws Exception {
        long before = device.client().sync(0, 1000).next();
        SMPPSession session = bind("uk-only", "secret");
        try {
            NegativeResponseException e = assertThrows(NegativeResponseException.class,
                    () -> submit(session, "33612345678", SERVED.substring(1), "bonjour".getBytes(StandardCharsets.US_ASCII), Alphabet.ALPHA_DEFAULT));
            assertEquals(SMPPConstant.STAT_ESME_RINVSRCADR, e.getCommandStatus());
            submit(session, "447700900131", SERVED.substring(1), "hello".getBytes(StandardCharsets.US_ASCII), Alphabet.ALPHA_DEFAULT);
        } finally {
            session.unbindAndClose();
        }
        assertEquals(before + 1, device.client().sync(0, 1000).next(), "only the allowed sender's message was stored");
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

    // --- long messages: UDH, SAR, message_payload ------------------------------------------------

    /** A submit_sm exactly as given: esm_class, data_coding, raw short_message and TLVs. Returns the message id. */
    private static String submitRaw(SMPPSession session, String from, int esmClass, int dataCoding, byte[] shortMessage,
                                    OptionalParameter... tlvs) throws Exception {
        return session.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, LONG_SERVED.substring(1), new ESMClass(esmClass), (byte) 0,
                (byte) 1, null, null, new RegisteredDelivery(0), (byte) 0, DataCodings.newInstance((byte) dataCoding), (byte) 0,
                shortMessage, tlvs).getMessageId();
    }

    private static byte[] gsm7(String text) {
        return SmsEncoding.GSM7.encode(text);
    }

    @Test
    void udh8SetOutOfOrderWithADuplicateBecomesOneMessageAndOneEvent() throws Exception {
        String from = "+447700900201";
        // The peer cut the euro sign's escape sequence in two: 0x1B ends part 1, 0x65 starts part 2.
        byte[] part1 = concat(LongSms.udh8(0xA7, 3, 1), gsm7("Ciao Niccolò, il caffè costa 2"), new byte[] {0x1B});
        byte[] part2 = concat(LongSms.udh8(0xA7, 3, 2), new byte[] {0x65}, gsm7(" e la pizza 8"));
        byte[] part3 = concat(LongSms.udh8(0xA7, 3, 3), gsm7("€. A più tardi, però!"));
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = longDevice.client().stream(CursorStore.inMemory(0), events)) {
            SMPPSession session = bind("longsms", "secret");
            try {
                String id3 = submitRaw(session, from.substring(1), 0x40, 0, part3);
                submitRaw(session, from.substring(1), 0x40, 0, part1);
                assertEquals(id3, submitRaw(session, from.substring(1), 0x40, 0, part3), "a repeated segment gets its first id back");
                assertTrue(LongSms.created(longDevice, from).isEmpty(), "nothing is delivered before the set is complete");
                assertEquals(2, LongSms.keptSegments(gw, from), "the repeat was not kept twice");
                submitRaw(session, from.substring(1), 0x40, 0, part2);
            } finally {
                session.unbindAndClose();
            }
            // submit_sm_resp for the last part came after the commit: the message is in the log already.
            List<SyncEvent> created = LongSms.created(longDevice, from);
            assertEquals(1, created.size(), "one message.created for the whole set");
            assertEquals("Ciao Niccolò, il caffè costa 2€ e la pizza 8€. A più tardi, però!", created.get(0).data().get("text").asText());
            assertEquals(LONG_SERVED, created.get(0).data().get("to").asText());
            Predicate<SyncEvent> mine = e -> e.type().equals("message.created") && e.data().get("from").asText().equals(from);
            events.await("the message on the device", Duration.ofSeconds(30), r -> r.count(mine) == 1);
            assertEquals(0, LongSms.keptSegments(gw, from), "the set is deleted with the commit that delivered it");
        }
        assertEquals(1, longDevice.client().allMessages(longDevice.client().conversationWith(from).orElseThrow().get("id").asText()).size());
    }

    @Test
    void udh16SetWithASurrogatePairSplitAcrossSegmentsArrivesWhole() throws Exception {
        String from = "+447700900202";
        String text = "Saluti da Roma 🍕 e buona serata!";
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16BE);
        int cut = 2 * text.indexOf("🍕") + 2;  // between the high and the low surrogate
        SMPPSession session = bind("longsms", "secret");
        try {
            submitRaw(session, from.substring(1), 0x40, 8, concat(LongSms.udh16(0xBEEF, 2, 2), Arrays.copyOfRange(utf16, cut, utf16.length)));
            submitRaw(session, from.substring(1), 0x40, 8, concat(LongSms.udh16(0xBEEF, 2, 1), Arrays.copyOfRange(utf16, 0, cut)));
        } finally {
            session.unbindAndClose();
        }
        List<SyncEvent> created = LongSms.created(longDevice, from);
        assertEquals(1, created.size());
        assertEquals(text, created.get(0).data().get("text").asText());
    }

    @Test
    void sarSetArrivesAsOneMessage() throws Exception {
        String from = "+447700900203";
        SMPPSession session = bind("longsms", "secret");
        try {
            String[] parts = {"Prima parte, ", "seconda parte, ", "terza e ultima."};
            for (int seq : new int[] {2, 3, 2, 1}) {
                submitRaw(session, from.substring(1), 0, 0, gsm7(parts[seq - 1]), OptionalParameters.newSarMsgRefNum(0x1234),
                        OptionalParameters.newSarTotalSegments(3), OptionalParameters.newSarSegmentSeqnum(seq));
            }
        } finally {
            session.unbindAndClose();
        }
        List<SyncEvent> created = LongSms.created(longDevice, from);
        assertEquals(1, created.size());
        assertEquals("Prima parte, seconda parte, terza e ultima.", created.get(0).data().get("text").asText());
    }

    @Test
    void wholeLongMessageInMessagePayloadArrivesWhenShortMessageIsEmpty() throws Exception {
        String from = "+447700900204";
        String text = "Un messaggio lungo, tutto in message_payload: è più semplice così. ".repeat(6);
        SMPPSession session = bind("longsms", "secret");
        try {
            submitRaw(session, from.substring(1), 0, 0, new byte[0], new OptionalParameter.Message_payload(gsm7(text)));
        } finally {
            session.unbindAndClose();
        }
        List<SyncEvent> created = LongSms.created(longDevice, from);
        assertEquals(1, created.size());
        assertEquals(text, created.get(0).data().get("text").asText());
        assertTrue(text.length() > 160, "longer than one SMS");
    }

    @Test
    void incompleteSetIsDeliveredWithAGapMarkerAfterTheTimeout() throws Exception {
        String from = "+447700900205";
        SMPPSession session = bind("longsms", "secret");
        try {
            submitRaw(session, from.substring(1), 0x40, 0, concat(LongSms.udh8(9, 3, 3), gsm7(" e la fine.")));
            submitRaw(session, from.substring(1), 0x40, 0, concat(LongSms.udh8(9, 3, 1), gsm7("L'inizio")));
        } finally {
            session.unbindAndClose();
        }
        await(gw.gateway().smsFragments().sweep());
        assertTrue(LongSms.created(longDevice, from).isEmpty(), "the set waits for its missing part until the timeout");

        gw.clock.advance(Duration.ofSeconds(601));
        await(gw.gateway().smsFragments().sweep());
        List<SyncEvent> created = LongSms.created(longDevice, from);
        assertEquals(1, created.size(), "delivered once, whichever sweep got it");
        assertEquals("L'inizio[…missing part 2 of 3…] e la fine.", created.get(0).data().get("text").asText());
        assertEquals(0, LongSms.keptSegments(gw, from));
    }

    @Test
    void malformedConcatenationIsRefusedAndNothingIsStored() throws Exception {
        String from = "+447700900206";
        SMPPSession session = bind("longsms", "secret");
        try {
            for (byte[] bad : LongSms.MALFORMED_HEADERS) {
                NegativeResponseException e = assertThrows(NegativeResponseException.class,
                        () -> submitRaw(session, from.substring(1), 0x40, 0, bad), () -> Arrays.toString(bad));
                assertEquals(SMPPConstant.STAT_ESME_RINVESMCLASS, e.getCommandStatus(), Arrays.toString(bad));
            }
            NegativeResponseException missing = assertThrows(NegativeResponseException.class,
                    () -> submitRaw(session, from.substring(1), 0, 0, gsm7("x"), OptionalParameters.newSarMsgRefNum(1),
                            OptionalParameters.newSarTotalSegments(2)));
            assertEquals(SmppInbound.STAT_ESME_RMISSINGOPTPARAM, missing.getCommandStatus());
            NegativeResponseException outOfRange = assertThrows(NegativeResponseException.class,
                    () -> submitRaw(session, from.substring(1), 0, 0, gsm7("x"), OptionalParameters.newSarMsgRefNum(1),
                            OptionalParameters.newSarTotalSegments(2), OptionalParameters.newSarSegmentSeqnum(3)));
            assertEquals(SmppInbound.STAT_ESME_RINVOPTPARAMVAL, outOfRange.getCommandStatus());
            // The session survives every refusal.
            submitRaw(session, "447700900207", 0x40, 0, concat(LongSms.udh8(1, 1, 1), gsm7("still bound")));
        } finally {
            session.unbindAndClose();
        }
        assertEquals(0, LongSms.keptSegments(gw, from), "no segment kept from a refused PDU");
        assertTrue(LongSms.created(longDevice, from).isEmpty(), "no message from a refused PDU");
        assertEquals("still bound", LongSms.created(longDevice, "+447700900207").get(0).data().get("text").asText());
    }

    @Test
    void longItalianAndEmojiTextCutBySegmenterArrivesUnchanged() throws Exception {
        String from = "+447700900208";
        SmsPlan plan = new Segmenter(ConcatMode.UDH8).plan(LongSms.ITALIAN_AND_EMOJI, 0x42);
        assertEquals(SmsEncoding.UCS2, plan.encoding());
        assertTrue(plan.segments().size() > 10, "a long set: " + plan.segments().size());
        SMPPSession session = bind("longsms", "secret");
        try {
            // Last segment first: completion does not depend on arrival order.
            List<SmsSegment> reversed = new ArrayList<>(plan.segments());
            Collections.reverse(reversed);
            for (SmsSegment segment : reversed) {
                submitRaw(session, from.substring(1), segment.udhi() ? 0x40 : 0, plan.dataCoding(), segment.shortMessage());
            }
        } finally {
            session.unbindAndClose();
        }
        List<SyncEvent> created = LongSms.created(longDevice, from);
        assertEquals(1, created.size());
        assertEquals(LongSms.ITALIAN_AND_EMOJI, created.get(0).data().get("text").asText());
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
