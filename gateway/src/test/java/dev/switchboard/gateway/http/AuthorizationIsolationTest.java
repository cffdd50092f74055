package dev.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A device reads and changes only its own number's data; everything else looks like it does not exist. */
class AuthorizationIsolationTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();
    private static Device a;
    private static Device b;
    private static Device bLaptop;
    private static String bConversation;
    private static String bMessage;
    private static String bMedia;

    @BeforeAll
    static void start() throws Exception {
        a = gw.primary("+390633330001");
        b = gw.primary("+390633330002");
        bLaptop = gw.link(b, "laptop");
        gw.primary("+390633330003");
        bMedia = b.client().uploadMedia("secret".getBytes(StandardCharsets.UTF_8), "text/plain", "s.txt").get("mediaId").asText();
        var sent = b.client().send("+390633330003", "private to C");
        bConversation = sent.conversationId();
        bMessage = sent.id();
    }


    @Test
    void otherNumbersConversationsAreNotFound() throws Exception {
        HttpResult r = gw.get("/v1/conversations/" + bConversation + "/messages", a.token());
        assertEquals(404, r.status());
        assertEquals("not_found", r.error());
        assertEquals(404, gw.post("/v1/conversations/" + bConversation + "/read", a.token(), "{\"upTo\":\"" + bMessage + "\"}").status());
        assertEquals(404, gw.post("/v1/conversations/" + bConversation + "/typing", a.token(), "{\"active\":true}").status());
        assertEquals(0, a.client().allConversations().stream().filter(c -> c.get("id").asText().equals(bConversation)).count());
    }

    @Test
    void otherNumbersMediaIsNotFound() throws Exception {
        assertEquals(404, gw.get("/v1/media/" + bMedia, a.token()).status());
        assertEquals(200, gw.get("/v1/media/" + bMedia, b.token()).status());
        assertEquals(200, gw.get("/v1/media/" + bMedia, bLaptop.token()).status(), "every device of the owning number may read it");
    }

    @Test
    void otherNumbersMediaCannotBeSent() throws Exception {
        HttpResult r = gw.request("POST", "/v1/messages", a.token(),
                "{\"to\":\"+390633330002\",\"parts\":[{\"type\":\"media\",\"mediaId\":\"" + bMedia + "\"}]}",
                java.util.Map.of("Idempotency-Key", "steal"));
        assertEquals(422, r.status());
        assertEquals("unknown_media", r.error());
    }

    @Test
    void otherNumbersDevicesAreInvisibleAndCannotBeUnlinked() throws Exception {
        HttpResult list = gw.get("/v1/devices", a.token());
        assertEquals(1, list.json().getJsonArray("devices").size());
        HttpResult r = gw.request("DELETE", "/v1/devices/" + bLaptop.id(), a.token(), null, java.util.Map.of());
        assertEquals(404, r.status());
        assertEquals(2, b.client().devices().size(), "B's laptop is still linked");
    }

    @Test
    void missingOrWrongTokenIs401() throws Exception {
        assertEquals(401, gw.get("/v1/conversations", null).status());
        assertEquals(401, gw.get("/v1/conversations", "not-a-token").status());
        assertEquals(401, gw.get("/v1/numbers", a.token()).status(), "a device token is not the admin token");
        assertEquals("unauthorized", gw.get("/v1/sync", null).error());
    }
}
