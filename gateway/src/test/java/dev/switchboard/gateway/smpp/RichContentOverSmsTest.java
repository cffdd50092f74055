package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.carrier.sms.Gsm7Codec;
import dev.switchboard.client.SentMessage;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rich card with reply suggestions sent to an off-net number goes out as SMS text with the
 * suggestions numbered, and the handset's answer "2" reaches the device as an answer to the second.
 */
class RichContentOverSmsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERVED = "+390617170001";
    private static final String PEER = "+447700900501";

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"acme\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"window\":4,\"throughput\":500,\"prefixes\":[\"+44\"]}]"));

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

    private static String text(SmscSimulator.Submitted sms) {
        return sms.text();
    }

    @Test
    void cardWithRepliesGoesOutNumberedAndTheAnswerTwoMapsToTheSecondSuggestion() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode().put("to", PEER);
        ObjectNode card = body.putArray("parts").addObject().put("type", "richCard").put("title", "Table for tonight?")
                .put("description", "Trattoria da Mario, 20:30");
        card.putArray("suggestions")
                .add(json.createObjectNode().put("type", "reply").put("text", "Yes, book it").put("postbackData", "booking:yes"))
                .add(json.createObjectNode().put("type", "reply").put("text", "No, thanks").put("postbackData", "booking:no"));

        int before = smsc.submitted().size();
        SentMessage sent = device.client().send(body, UUID.randomUUID().toString());
        assertEquals("sms", sent.channel());
        smsc.awaitSubmitted(before + 1, WAIT);
        SmscSimulator.Submitted sms = smsc.submitted().get(before);
        assertEquals(PEER.substring(1), sms.to());
        assertEquals("""
                Table for tonight?
                Trattoria da Mario, 20:30

                1. Yes, book it
                2. No, thanks
                Reply with a number.""", text(sms));
        assertEquals(1, smsc.submitted().size() - before, "one SMS");

        // The handset answers "2".
        smsc.mobileOriginated(PEER.substring(1), SERVED.substring(1), Gsm7Codec.encodeUnpacked("2"), (byte) 0);
        Eventually.await("the answer in the inbox", WAIT, () -> device.client().allMessages(sent.conversationId()).stream()
                .anyMatch(m -> m.get("direction").asText().equals("in")));
        List<JsonNode> incoming = device.client().allMessages(sent.conversationId()).stream()
                .filter(m -> m.get("direction").asText().equals("in")).toList();
        assertEquals(1, incoming.size());
        JsonNode answer = incoming.get(0);
        assertEquals("2", answer.get("text").asText(), "the text stays as received: " + answer);
        assertEquals("sms", answer.get("channel").asText());
        assertTrue(answer.get("inReplyTo").isObject(), answer.toString());
        assertEquals("booking:no", answer.get("inReplyTo").get("postbackData").asText(), answer.toString());
        assertEquals("No, thanks", answer.get("inReplyTo").get("text").asText());
    }
}
