package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The composer's SMS counter ({@code /js/core/sms.js}) counts as the gateway does (POST /v1/messages/preview). */
class WebSmsCounterTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @Test
    void thePageCountsEncodingAndSegmentsExactlyAsTheGatewaySendsThem() throws Exception {
        Device a = gw.primary("+390623230001");
        List<String> texts = List.of("", "hello", "Yes, 10€", "{curly} [square] ~tilde~ |pipe| \\back^",
                "a".repeat(160), "a".repeat(161), "€".repeat(80), "€".repeat(81), "a".repeat(152) + "€" + "b".repeat(10),
                "Привет, как дела?", "😀".repeat(35), "😀".repeat(36), "x" + "😀".repeat(34), "ç is not Ç; Ç is GSM",
                "line\nbreak\rcarriage", "Ελληνικά ΔΦΓΛΩΠΨΣΘΞ", "ΔΦΓΛΩΠΨΣΘΞ", "x".repeat(153 * 255 + 1));
        try (CorePage page = CorePage.open(gw)) {
            for (String text : texts) {
                HttpResult preview = gw.post("/v1/messages/preview", a.token(),
                        new JsonObject().put("to", "+447700923231").put("text", text).encode());
                JsonObject expected = preview.json();
                @SuppressWarnings("unchecked")
                Map<String, Object> counted = page.map("""
                        const sms = await import('/js/core/sms.js');
                        return sms.smsInfo(args[0]);""", text);
                String what = "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
                assertEquals(expected.getString("encoding"), counted.get("encoding"), what);
                assertEquals(expected.getInteger("segments").longValue(), ((Number) counted.get("segments")).longValue(), what);
                assertEquals(expected.getInteger("units").longValue(), ((Number) counted.get("units")).longValue(), what);
                assertEquals(expected.getBoolean("sendable"), counted.get("sendable"), what);
            }
        }
    }
}
