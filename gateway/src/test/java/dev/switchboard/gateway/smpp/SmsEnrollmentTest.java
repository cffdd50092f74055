package dev.switchboard.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.DeviceKeys;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Enrolling a primary with a code sent by SMS through a carrier (an SMSC written with jsmpp). */
class SmsEnrollmentTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    static final SmscSimulator smsc = SmscSimulator.start("switchboard", "pw");

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass(Map.of("SWITCHBOARD_SMPP_CARRIERS",
            "[{\"id\":\"home\",\"host\":\"127.0.0.1\",\"port\":" + smsc.port() + ",\"systemId\":\"switchboard\",\"password\":\"pw\","
                    + "\"prefixes\":[\"+39\"]}]"));

    @BeforeAll
    static void bound() throws Exception {
        smsc.awaitBound(WAIT);
    }

    @AfterAll
    static void stopSmsc() {
        smsc.close();
    }

    private static String enrollBody(String number, String code) {
        return dev.switchboard.gateway.support.SignedKeys.generate().fields().put("number", number).put("code", code)
                .put("name", "phone").encode();
    }

    @Test
    void codeSentBySmsEnrollsThePrimaryOnce() throws Exception {
        String number = "+390619190001";
        gw.serve(number);
        int before = smsc.submitted().size();
        HttpResult asked = gw.post("/v1/numbers/" + number + "/verification", null, "");
        assertEquals(202, asked.status(), asked.body());
        smsc.awaitSubmitted(before + 1, WAIT);
        SmscSimulator.Submitted sms = smsc.submitted().get(before);
        assertEquals("390619190001", sms.to());
        assertEquals("Switchboard", sms.from(), "sent from an alphanumeric sender");
        Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(new String(sms.shortMessage(), StandardCharsets.ISO_8859_1));
        assertTrue(code.find(), "the SMS carries a six-digit code");
        assertEquals(201, gw.post("/v1/devices/primary", null, enrollBody(number, code.group(1))).status());
        assertEquals(403, gw.post("/v1/devices/primary", null, enrollBody(number, code.group(1))).status(), "a code works once");
    }

    @Test
    void askingAgainWithinAMinuteIsRateLimited() throws Exception {
        String number = "+390619190002";
        gw.serve(number);
        assertEquals(202, gw.post("/v1/numbers/" + number + "/verification", null, "").status());
        HttpResult again = gw.post("/v1/numbers/" + number + "/verification", null, "");
        assertEquals(429, again.status());
        assertEquals("too_many_requests", again.error());
    }

    @Test
    void unservedNumberGetsTheSameAnswerAndNoSms() throws Exception {
        int before = smsc.submitted().size();
        assertEquals(202, gw.post("/v1/numbers/+390619190099/verification", null, "").status());
        assertEquals(400, gw.post("/v1/numbers/12345/verification", null, "").status());
        assertEquals(before, smsc.submitted().size());
    }
}
