package dev.switchboard.gateway.smpp;

import static dev.switchboard.gateway.smpp.LongSms.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.carrier.smpp.SmppInbound;
import dev.switchboard.carrier.sms.ConcatMode;
import dev.switchboard.carrier.sms.Segmenter;
import dev.switchboard.carrier.sms.SmsEncoding;
import dev.switchboard.carrier.sms.SmsPlan;
import dev.switchboard.carrier.sms.SmsSegment;
import dev.switchboard.client.CursorStore;
import dev.switchboard.client.SentMessage;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncStream;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.EventRecorder;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.extra.NegativeResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Switchboard binds to a carrier's SMSC (an SMSC written with jsmpp) and drains the outbox through it. */
class SmppCarrierTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERVED = "+390616160001";

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"window\":4,\"throughput\":500,\"receiptIdBase\":\"hex\",\"dataCoding1\":\"gsm7\",\"prefixes\":[\"+44\"]}]"));

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

    private static String status(SentMessage sent) {
        return device.client().allMessages(sent.conversationId()).stream()
                .filter(m -> m.get("id").asText().equals(sent.id())).findFirst().orElseThrow().get("status").asText();
    }

    /**
     * Retries are scheduled on the gateway's clock, which tests hold still; each look moves it on
     * two seconds so a backed-off message becomes due without the test sleeping.
     */
    private static void awaitStatus(SentMessage sent, String expected) {
        gw.awaitWhileTimePasses("status " + expected, WAIT, () -> status(sent).equals(expected));
    }

    private static JsonNode message(SentMessage sent) {
        return device.client().allMessages(sent.conversationId()).stream()
                .filter(m -> m.get("id").asText().equals(sent.id())).findFirst().orElseThrow();
    }

    private static List<String> statuses(JsonNode history) {
        List<String> out = new ArrayList<>();
        history.forEach(step -> out.add(step.get("status").asText()));
        return out;
    }

    /** The steps' times, which must parse and never go backwards. */
    private static List<Instant> times(JsonNode history) {
        List<Instant> out = new ArrayList<>();
        history.forEach(step -> out.add(Instant.parse(step.get("at").asText())));
        for (int i = 1; i < out.size(); i++) {
            assertFalse(out.get(i).isBefore(out.get(i - 1)), history.toString());
        }
        return out;
    }

    @Test
    void twoSegmentUcs2ReplyShowsItsSmsDetailsAndStatusHistory() throws Exception {
        int before = smsc.submitted().size();
        String text = "Ci vediamo domani alle otto davanti al bar, porto io i biglietti del concerto per tutti e due 😊";
        assertTrue(text.length() > 70 && text.length() <= 134, "two UCS-2 segments: " + text.length());
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = device.client().stream(CursorStore.inMemory(0), events)) {
            SentMessage sent = device.client().send("+447700900021", text);
            Predicate<SyncEvent> created = e -> e.type().equals("message.created") && e.data().get("id").asText().equals(sent.id());
            events.await("message.created", WAIT, r -> r.count(created) == 1);
            JsonNode queued = events.events().stream().filter(created).findFirst().orElseThrow().data();
            assertEquals(List.of("queued"), statuses(queued.get("statusHistory")));
            assertTrue(queued.get("sms").isNull(), "not planned before the carrier took it: " + queued);

            smsc.awaitSubmitted(before + 2, WAIT);
            var parts = smsc.submitted().subList(before, before + 2);
            awaitStatus(sent, "sent");
            smsc.receipt(parts.get(0).messageId(), "DELIVRD", "000");
            smsc.receipt(parts.get(1).messageId(), "DELIVRD", "000");
            awaitStatus(sent, "delivered");

            JsonNode m = message(sent);
            assertEquals("sms", m.get("channel").asText());
            assertEquals(2, m.get("sms").get("segments").asInt(), m.toString());
            assertEquals("ucs-2", m.get("sms").get("encoding").asText());
            assertEquals("acme", m.get("sms").get("carrier").asText());
            assertEquals(List.of("queued", "sent", "delivered"), statuses(m.get("statusHistory")));
            List<Instant> at = times(m.get("statusHistory"));
            assertEquals(Instant.parse(m.get("createdAt").asText()), at.get(0));
            assertEquals(Instant.parse(m.get("updatedAt").asText()), at.get(2));
            m.get("statusHistory").forEach(step -> assertTrue(step.get("reason").isNull(), step.toString()));

            // Every device's sync stream sees the same: each message.updated carries the history so far.
            Predicate<SyncEvent> mine = e -> e.type().equals("message.updated") && e.data().get("id").asText().equals(sent.id());
            events.await("sent and delivered updates", WAIT, r -> r.count(mine) == 2);
            List<SyncEvent> updates = events.events().stream().filter(mine).toList();
            assertEquals(List.of("queued", "sent"), statuses(updates.get(0).data().get("statusHistory")));
            assertEquals("acme", updates.get(0).data().get("sms").get("carrier").asText(), "planned before it was sent");
            JsonNode delivered = updates.get(1).data();
            assertEquals("delivered", delivered.get("status").asText());
            assertEquals(m.get("statusHistory"), delivered.get("statusHistory"));
            assertEquals(m.get("sms"), delivered.get("sms"));
        }
    }

    @Test
    void onNetMessageHasNoSmsDetailsAndAHistory() throws Exception {
        Device other = gw.primary("+390616160002");
        SentMessage sent = device.client().send("+390616160002", "Ci sei stasera?");
        JsonNode out = message(sent);
        assertEquals("onnet", out.get("channel").asText());
        assertTrue(out.has("sms") && out.get("sms").isNull(), out.toString());
        assertEquals(List.of("delivered"), statuses(out.get("statusHistory")));

        String otherConversation = other.client().conversationWith(SERVED).orElseThrow().get("id").asText();
        JsonNode in = other.client().allMessages(otherConversation).get(0);
        assertTrue(in.get("sms").isNull(), in.toString());
        assertEquals(List.of("delivered"), statuses(in.get("statusHistory")));

        gw.clock.advance(Duration.ofSeconds(3));
        other.client().markRead(otherConversation, in.get("id").asText());
        JsonNode read = message(sent);
        assertEquals(List.of("delivered", "read"), statuses(read.get("statusHistory")), "the read tick crossed over");
        assertEquals(Duration.ofSeconds(3), Duration.between(times(read.get("statusHistory")).get(0), times(read.get("statusHistory")).get(1)));
        JsonNode readIn = other.client().allMessages(otherConversation).get(0);
        assertEquals(List.of("delivered", "read"), statuses(readIn.get("statusHistory")));
    }

    @Test
    void replyGoesOutAsSmsAndItsTicksFollowTheReceipt() throws Exception {
        int before = smsc.submitted().size();
        SentMessage sent = device.client().send("+447700900001", "Grazie, a domani!");
        assertEquals("queued", sent.status());
        smsc.awaitSubmitted(before + 1, WAIT);
        SmscSimulator.Submitted pdu = smsc.submitted().get(before);
        assertEquals("447700900001", pdu.to(), "sent with TON 1 and no plus");
        assertEquals(1, pdu.destTon());
        assertEquals("390616160001", pdu.from());
        awaitStatus(sent, "sent");
        smsc.receipt(pdu.messageId(), "DELIVRD", "000");
        awaitStatus(sent, "delivered");
    }

    @Test
    void longMessageIsDeliveredOnlyWhenEverySegmentIs() throws Exception {
        int before = smsc.submitted().size();
        String text = "a".repeat(200);
        SentMessage sent = device.client().send("+447700900002", text);
        smsc.awaitSubmitted(before + 2, WAIT);
        var parts = smsc.submitted().subList(before, before + 2);
        assertTrue(parts.stream().allMatch(p -> (p.esmClass() & 0x40) != 0), "each segment carries a UDH");
        awaitStatus(sent, "sent");
        smsc.receipt(parts.get(0).messageId(), "DELIVRD", "000");
        // One segment is not the message: it stays sent until the other one is delivered too.
        smsc.receipt("ffffff", "DELIVRD", "000");
        assertEquals("sent", status(sent));
        smsc.receipt(parts.get(1).messageId(), "DELIVRD", "000");
        awaitStatus(sent, "delivered");
    }

    @Test
    void receiptThatOvertakesTheSubmitResponseIsNotLost() throws Exception {
        smsc.sendReceiptsBeforeResponses(true);
        try {
            SentMessage sent = device.client().send("+447700900003", "race");
            awaitStatus(sent, "delivered");
        } finally {
            smsc.sendReceiptsBeforeResponses(false);
        }
    }

    @Test
    void throttledSubmitIsRetriedAndSentOnce() throws Exception {
        int before = smsc.submitted().size();
        smsc.throttleNext(2);
        SentMessage sent = device.client().send("+447700900004", "patience");
        awaitStatus(sent, "sent");
        assertEquals(1, smsc.submitted().size() - before, "accepted once, after the throttled attempts");
    }

    @Test
    void permanentRefusalFailsTheMessageWithTheStatus() throws Exception {
        smsc.refuseNextWith(SMPPConstant.STAT_ESME_RINVDSTADR);
        SentMessage sent = device.client().send("+447700900005", "nowhere");
        awaitStatus(sent, "failed");
        assertTrue(message(sent).get("statusReason").asText().contains("0x0000000B"), message(sent).toString());
    }

    @Test
    void undeliverableReceiptFailsTheMessage() throws Exception {
        int before = smsc.submitted().size();
        SentMessage sent = device.client().send("+447700900006", "lost");
        smsc.awaitSubmitted(before + 1, WAIT);
        awaitStatus(sent, "sent");
        smsc.receipt(smsc.submitted().get(before).messageId(), "UNDELIV", "001");
        awaitStatus(sent, "failed");
        JsonNode m = message(sent);
        assertTrue(m.get("statusReason").asText().contains("UNDELIV"), m.toString());
        assertEquals(List.of("queued", "sent", "failed"), statuses(m.get("statusHistory")));
        assertEquals(m.get("statusReason"), m.get("statusHistory").get(2).get("reason"), "the failure keeps its reason in the history");
        assertEquals(1, m.get("sms").get("segments").asInt());
        assertEquals("gsm7", m.get("sms").get("encoding").asText());
    }

    @Test
    void mobileOriginatedSmsReachesTheNumbersDevices() throws Exception {
        smsc.mobileOriginated("447700900007", "390616160001", "Ciao! @ 10€".getBytes(StandardCharsets.UTF_16BE), (byte) 8);
        Eventually.await("the SMS in the inbox", WAIT, () -> device.client().conversationWith("+447700900007").isPresent());
        JsonNode last = device.client().conversationWith("+447700900007").orElseThrow().get("lastMessage");
        assertEquals("Ciao! @ 10€", last.get("text").asText());
        assertEquals("in", last.get("direction").asText());
        assertEquals("sms", last.get("channel").asText());
        assertEquals(1, last.get("sms").get("segments").asInt(), last.toString());
        assertEquals("ucs-2", last.get("sms").get("encoding").asText());
        assertEquals("smpp-carrier:acme", last.get("sms").get("carrier").asText());
        assertEquals(List.of("delivered"), statuses(last.get("statusHistory")));
    }

    @Test
    void dataCodingOneIsReadAsGsmWhenTheCarrierIsSoConfigured() throws Exception {
        byte[] gsm = dev.switchboard.carrier.sms.Gsm7Codec.encodeUnpacked("@casa_mia $5 è");
        smsc.mobileOriginated("447700900011", "390616160001", gsm, (byte) 1);
        Eventually.await("the SMS in the inbox", WAIT, () -> device.client().conversationWith("+447700900011").isPresent());
        assertEquals("@casa_mia $5 è", device.client().conversationWith("+447700900011").orElseThrow().get("lastMessage").get("text").asText());
    }

    @Test
    void longItalianTextWithEmojiSurvivesMtThenMoUnchanged() throws Exception {
        String text = LongSms.ITALIAN_AND_EMOJI;
        assertTrue(text.length() >= 1_000, "about a thousand characters");
        int before = smsc.submitted().size();
        SentMessage sent = device.client().send("+447700900021", text);
        awaitStatus(sent, "sent");
        var segments = smsc.submitted().subList(before, smsc.submitted().size());
        assertTrue(segments.size() > 10, "a long UCS-2 text is many segments: " + segments.size());
        // The handset answers with exactly what it received: the same segments come back as MO, last one first.
        for (int i = segments.size() - 1; i >= 0; i--) {
            SmscSimulator.Submitted s = segments.get(i);
            smsc.deliverRaw("447700900021", "390616160001", s.esmClass(), s.dataCoding(), s.shortMessage());
        }
        Eventually.await("the echoed message in the inbox", WAIT, () -> device.client().conversationWith("+447700900021")
                .map(c -> c.get("lastMessage").get("direction").asText().equals("in")).orElse(false));
        JsonNode echoed = device.client().conversationWith("+447700900021").orElseThrow().get("lastMessage");
        assertEquals(text, echoed.get("text").asText(), "MT then MO: every character, escape and surrogate pair intact");
    }

    @Test
    void droppedBindIsReestablishedAndQueuedMessagesGoOut() throws Exception {
        smsc.dropAll();
        int before = smsc.submitted().size();
        SentMessage sent = device.client().send("+447700900008", "after the drop");
        smsc.awaitBound(WAIT);
        awaitStatus(sent, "sent");
        assertEquals(1, smsc.submitted().size() - before);
    }

    // --- long mobile-originated messages: UDH, SAR, message_payload -------------------------------

    private static final String TO = SERVED.substring(1);

    private static byte[] gsm7(String text) {
        return SmsEncoding.GSM7.encode(text);
    }

    @Test
    void udh8SetOutOfOrderWithADuplicateBecomesOneMessageAndOneEvent() throws Exception {
        smsc.awaitBound(WAIT);
        String from = "+447700900301";
        byte[] part1 = concat(LongSms.udh8(0x11, 3, 1), gsm7("Sono arrivato a Milano, "));
        byte[] part2 = concat(LongSms.udh8(0x11, 3, 2), gsm7("c'è il sole e fa caldo: "));
        byte[] part3 = concat(LongSms.udh8(0x11, 3, 3), gsm7("ci sentiamo più tardi {ok}?"));
        EventRecorder events = new EventRecorder();
        try (SyncStream stream = device.client().stream(CursorStore.inMemory(0), events)) {
            smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, part2);
            smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, part3);
            // The SMSC did not see our deliver_sm_resp and sends part 2 again: ESME_ROK, nothing more.
            smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, part2);
            assertTrue(LongSms.created(device, from).isEmpty(), "nothing before the set is complete");
            assertEquals(2, LongSms.keptSegments(gw, from));
            smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, part1);
            // And once more after the set was delivered.
            smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, part2);

            List<SyncEvent> created = LongSms.created(device, from);
            assertEquals(1, created.size(), "one message.created for the whole set");
            assertEquals("Sono arrivato a Milano, c'è il sole e fa caldo: ci sentiamo più tardi {ok}?",
                    created.get(0).data().get("text").asText());
            Predicate<SyncEvent> mine = e -> e.type().equals("message.created") && e.data().get("from").asText().equals(from);
            events.await("the message on the device", WAIT, r -> r.count(mine) == 1);
        }
        assertEquals(0, LongSms.keptSegments(gw, from), "neither the set nor the late repeat is left waiting");
        List<JsonNode> stored = device.client().allMessages(device.client().conversationWith(from).orElseThrow().get("id").asText());
        assertEquals(1, stored.size());
        JsonNode sms = stored.get(0).get("sms");
        assertEquals(3, sms.get("segments").asInt(), stored.get(0).toString());
        assertEquals("gsm7", sms.get("encoding").asText());
        assertEquals("smpp-carrier:acme", sms.get("carrier").asText());
        assertEquals(List.of("delivered"), statuses(stored.get(0).get("statusHistory")));
    }

    @Test
    void udh16SetWithAnEscapeSplitAcrossSegmentsArrivesWhole() throws Exception {
        smsc.awaitBound(WAIT);
        String from = "+447700900302";
        // The SMSC cut the euro sign's escape sequence: 0x1B ends part 1, 0x65 starts part 2.
        smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, concat(LongSms.udh16(0x0102, 2, 2), new byte[] {0x65}, gsm7(" al mese.")));
        smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, concat(LongSms.udh16(0x0102, 2, 1), gsm7("L'affitto è 900"), new byte[] {0x1B}));
        List<SyncEvent> created = LongSms.created(device, from);
        assertEquals(1, created.size());
        assertEquals("L'affitto è 900€ al mese.", created.get(0).data().get("text").asText());
    }

    @Test
    void sarSetArrivesAsOneMessage() throws Exception {
        smsc.awaitBound(WAIT);
        String from = "+447700900303";
        String[] parts = {"Uno, ", "due, ", "tre: stella!"};
        for (int seq : new int[] {3, 1, 3, 2}) {
            smsc.mobileOriginatedSar(from.substring(1), TO, 0xFFFF, 3, seq, parts[seq - 1].getBytes(StandardCharsets.UTF_16BE), (byte) 8);
        }
        List<SyncEvent> created = LongSms.created(device, from);
        assertEquals(1, created.size());
        assertEquals("Uno, due, tre: stella!", created.get(0).data().get("text").asText());
    }

    @Test
    void wholeLongMessageInMessagePayloadArrivesWhenShortMessageIsEmpty() throws Exception {
        smsc.awaitBound(WAIT);
        String from = "+447700900304";
        String text = "Tutto in un solo deliver_sm, nel message_payload: città, perché, più. ".repeat(5);
        smsc.deliverRaw(from.substring(1), TO, 0, (byte) 0, new byte[0], new OptionalParameter.Message_payload(gsm7(text)));
        List<SyncEvent> created = LongSms.created(device, from);
        assertEquals(1, created.size());
        assertEquals(text, created.get(0).data().get("text").asText());
        assertTrue(text.length() > 160, "longer than one SMS");
    }

    @Test
    void incompleteSetIsDeliveredWithGapMarkersAfterTheTimeout() throws Exception {
        smsc.awaitBound(WAIT);
        String from = "+447700900305";
        smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, concat(LongSms.udh8(0x77, 4, 2), gsm7("seconda")));
        smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, concat(LongSms.udh8(0x77, 4, 4), gsm7("quarta")));
        await(gw.gateway().smsFragments().sweep());
        assertTrue(LongSms.created(device, from).isEmpty(), "waiting for the missing parts");

        gw.clock.advance(Duration.ofSeconds(601));
        await(gw.gateway().smsFragments().sweep());
        List<SyncEvent> created = LongSms.created(device, from);
        assertEquals(1, created.size());
        assertEquals("[…missing part 1 of 4…]seconda[…missing part 3 of 4…]quarta", created.get(0).data().get("text").asText());
        assertEquals(0, LongSms.keptSegments(gw, from));
    }

    @Test
    void malformedUserDataHeaderIsRefusedAndNothingIsStored() throws Exception {
        smsc.awaitBound(WAIT);
        String from = "+447700900306";
        for (byte[] bad : LongSms.MALFORMED_HEADERS) {
            NegativeResponseException e = assertThrows(NegativeResponseException.class,
                    () -> smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, bad), () -> Arrays.toString(bad));
            assertEquals(SMPPConstant.STAT_ESME_RINVESMCLASS, e.getCommandStatus(), Arrays.toString(bad));
        }
        NegativeResponseException missing = assertThrows(NegativeResponseException.class,
                () -> smsc.deliverRaw(from.substring(1), TO, 0, (byte) 0, gsm7("x"), OptionalParameters.newSarSegmentSeqnum(1)));
        assertEquals(SmppInbound.STAT_ESME_RMISSINGOPTPARAM, missing.getCommandStatus());
        // The bind survives: the same SMSC delivers a good message right after.
        smsc.deliverRaw(from.substring(1), TO, 0x40, (byte) 0, concat(LongSms.udh8(3, 1, 1), gsm7("ok")));
        assertEquals(0, LongSms.keptSegments(gw, from));
        List<SyncEvent> created = LongSms.created(device, from);
        assertEquals(1, created.size(), "only the good one was stored");
        assertEquals("ok", created.get(0).data().get("text").asText());
    }

    @Test
    void longItalianAndEmojiTextCutBySegmenterArrivesUnchanged() throws Exception {
        smsc.awaitBound(WAIT);
        String from = "+447700900307";
        SmsPlan plan = new Segmenter(ConcatMode.UDH16).plan(LongSms.ITALIAN_AND_EMOJI, 0x4242);
        assertEquals(SmsEncoding.UCS2, plan.encoding());
        assertTrue(plan.segments().size() > 10, "a long set: " + plan.segments().size());
        for (SmsSegment segment : plan.segments()) {
            smsc.deliverRaw(from.substring(1), TO, segment.udhi() ? 0x40 : 0, plan.dataCoding(), segment.shortMessage());
        }
        List<SyncEvent> created = LongSms.created(device, from);
        assertEquals(1, created.size());
        assertEquals(LongSms.ITALIAN_AND_EMOJI, created.get(0).data().get("text").asText());
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
