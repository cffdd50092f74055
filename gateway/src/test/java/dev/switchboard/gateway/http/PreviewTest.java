package dev.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PreviewTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static Device device;

    @BeforeAll
    static void enroll() throws Exception {
        device = gw.primary("+390617170001");
        gw.primary("+390617170002");
    }

    private static JsonObject preview(String to, String text) throws Exception {
        HttpResult r = gw.post("/v1/messages/preview", device.token(), new JsonObject().put("to", to).put("text", text).encode());
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void smsPreviewCountsSegmentsAtTheGsmBoundary() throws Exception {
        JsonObject single = preview("+447700900001", "a".repeat(160));
        assertEquals("sms", single.getString("channel"));
        assertEquals("gsm7", single.getString("encoding"));
        assertEquals(1, single.getInteger("segments"));
        assertEquals(2, preview("+447700900001", "a".repeat(161)).getInteger("segments"));
        assertEquals(2, preview("+447700900001", "€".repeat(81)).getInteger("segments"), "an extension character takes two septets");
    }

    @Test
    void textOutsideTheGsmAlphabetIsUcs2() throws Exception {
        JsonObject emoji = preview("+447700900001", "Ciao 👋");
        assertEquals("ucs-2", emoji.getString("encoding"));
        assertEquals(1, emoji.getInteger("segments"));
        assertEquals(2, preview("+447700900001", "ç".repeat(71)).getInteger("segments"));
    }

    @Test
    void servedPeerIsOnNetAndNothingIsStored() throws Exception {
        assertEquals("onnet", preview("+390617170002", "hi").getString("channel"));
        assertEquals(0, device.client().allConversations().size());
        assertEquals(400, gw.post("/v1/messages/preview", device.token(), "{\"to\":\"123\",\"text\":\"x\"}").status());
    }
}
