package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A carrier configured to want TON 0 and the plus sign gets exactly that. */
class SmppAddressFormatTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"plus\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"addressFormat\":\"unknown_plus\",\"prefixes\":[\"+44\"]}]"));

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary("+390620200001");
        smsc.awaitBound(WAIT);
    }

    @AfterAll
    static void stopSmsc() {
        smsc.close();
    }

    @Test
    void addressesAreWrittenTheWayTheCarrierIsConfigured() throws Exception {
        device.client().send("+447700900041", "format");
        smsc.awaitSubmitted(1, WAIT);
        SmscSimulator.Submitted pdu = smsc.submitted().get(0);
        assertEquals("+447700900041", pdu.to());
        assertEquals("+390620200001", pdu.from());
        assertEquals(0, pdu.destTon(), "TON 0 (unknown) as configured");
    }
}
