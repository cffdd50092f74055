package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jsmpp.SMPPConstant;
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
                    + "\"window\":4,\"throughput\":500,\"receiptIdBase\":\"hex\",\"prefixes\":[\"+44\"]}]"));

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
        Eventually.await("status " + expected, WAIT, () -> {
            gw.clock.advance(Duration.ofSeconds(2));
            return status(sent).equals(expected);
        });
    }

    private static JsonNode message(SentMessage sent) {
        return device.client().allMessages(sent.conversationId()).stream()
                .filter(m -> m.get("id").asText().equals(sent.id())).findFirst().orElseThrow();
    }

    @Test
    void replyGoesOutAsSmsAndItsTicksFollowTheReceipt() throws Exception {
        int before = smsc.submitted().size();
        SentMessage sent = device.client().send("+447700900001", "Grazie, a domani!");
        assertEquals("queued", sent.status());
        smsc.awaitSubmitted(before + 1, WAIT);
        SmscSimulator.Submitted pdu = smsc.submitted().get(before);
        assertEquals("447700900001", pdu.to(), "sent with TON 1 and no plus");
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
        assertTrue(message(sent).get("statusReason").asText().contains("UNDELIV"), message(sent).toString());
    }

    @Test
    void mobileOriginatedSmsReachesTheNumbersDevices() throws Exception {
        smsc.mobileOriginated("447700900007", "390616160001", "Ciao! @ 10€".getBytes(StandardCharsets.UTF_16BE), (byte) 8);
        Eventually.await("the SMS in the inbox", WAIT, () -> device.client().conversationWith("+447700900007").isPresent());
        JsonNode last = device.client().conversationWith("+447700900007").orElseThrow().get("lastMessage");
        assertEquals("Ciao! @ 10€", last.get("text").asText());
        assertEquals("in", last.get("direction").asText());
        assertEquals("sms", last.get("channel").asText());
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
}
