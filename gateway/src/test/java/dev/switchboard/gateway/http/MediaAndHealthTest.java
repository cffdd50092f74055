package dev.switchboard.gateway.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MediaAndHealthTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();



    @Test
    void mediaTravelsWithTheMessageToThePeer() throws Exception {
        Device a = gw.primary("+390688880001");
        Device b = gw.primary("+390688880002");
        byte[] bytes = new byte[200_000];
        new java.util.Random(7).nextBytes(bytes);
        JsonNode uploaded = a.client().uploadMedia(bytes, "image/png", "cat.png");
        String mediaId = uploaded.get("mediaId").asText();
        assertEquals(bytes.length, uploaded.get("size").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), uploaded.get("sha256").asText());
        assertEquals(404, gw.get("/v1/media/" + mediaId, b.token()).status(), "not shared yet");

        var body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        body.put("to", b.number());
        body.putArray("parts").addObject().put("type", "media").put("mediaId", mediaId);
        a.client().send(body, "media-1");
        JsonNode conversation = b.client().conversationWith(a.number()).orElseThrow();
        JsonNode part = conversation.get("lastMessage").get("parts").get(0);
        assertEquals("image/png", part.get("contentType").asText(), "the server fills in what it stored");
        assertEquals(bytes.length, part.get("size").asLong());
        assertEquals("cat.png", part.get("fileName").asText());
        assertArrayEquals(bytes, b.client().downloadMedia(mediaId));
    }

    @Test
    void healthAndOpenApiAreServed() throws Exception {
        assertEquals(200, gw.get("/health/live", null).status());
        assertEquals("ready", gw.get("/health/ready", null).json().getString("status"));
        var openapi = gw.get("/openapi.yaml", null);
        assertEquals(200, openapi.status());
        assertTrue(openapi.body().startsWith("openapi: 3"), openapi.body().substring(0, 40));
        assertTrue(openapi.body().contains("/v1/stream"));
    }
}
