package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.Eventually;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A carrier bound as a transmitter plus a receiver: MT leaves on the one, MO and receipts arrive on the other. */
class SmppTransmitterReceiverTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"split\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"bindType\":\"transmitter+receiver\",\"prefixes\":[\"+44\"]}]"));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary("+390621210001");
        smsc.awaitBound(WAIT);
        smsc.awaitReceiverBound(WAIT);
    }

    @AfterAll
    static void stopSmsc() {
        smsc.close();
    }

    private static String status(String conversationId, String id) {
        return device.client().allMessages(conversationId).stream().filter(m -> m.get("id").asText().equals(id))
                .findFirst().orElseThrow().get("status").asText();
    }

    @Test
    void mtGoesOutOnTheTransmitterAndItsReceiptComesBackOnTheReceiver() throws Exception {
        var sent = device.client().send("+447700900051", "split binds");
        smsc.awaitSubmitted(1, WAIT);
        gw.awaitWhileTimePasses("sent", WAIT, () -> status(sent.conversationId(), sent.id()).equals("sent"));
        smsc.receipt(smsc.submitted().get(0).messageId(), "DELIVRD", "000");
        Eventually.await("delivered", WAIT, () -> status(sent.conversationId(), sent.id()).equals("delivered"));
    }

    @Test
    void moArrivesOnTheReceiverBind() throws Exception {
        smsc.mobileOriginated("447700900052", "390621210001", "dal ricevitore".getBytes(StandardCharsets.UTF_16BE), (byte) 8);
        Eventually.await("the SMS in the inbox", WAIT, () -> device.client().conversationWith("+447700900052").isPresent());
        assertEquals("dal ricevitore", device.client().conversationWith("+447700900052").orElseThrow().get("lastMessage").get("text").asText());
    }
}
