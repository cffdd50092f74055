package dev.switchboard.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LinkingTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();



    private static HttpResult poll(LinkRequest r) throws Exception {
        return gw.get("/v1/link-requests/" + r.linkId() + "?secret=" + r.secret(), null);
    }

    @Test
    void approvedTokenIsHandedOutExactlyOnce() throws Exception {
        Device primary = gw.primary("+390644440001");
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("laptop", DeviceKeys.generate());
        assertTrue(request.qr().startsWith("sblink:1:" + request.linkId() + ":"));
        assertEquals("pending", poll(request).json().getString("status"));

        primary.client().approveLink(request.qr(), primary.keys());
        JsonObject first = poll(request).json();
        assertEquals("approved", first.getString("status"));
        assertNotNull(first.getString("token"));
        assertEquals("+390644440001", first.getString("number"));
        JsonObject second = poll(request).json();
        assertEquals("expired", second.getString("status"));
        assertEquals(null, second.getString("token"), "the token is never handed out twice");

        HttpResult devices = gw.get("/v1/devices", first.getString("token"));
        assertEquals(200, devices.status(), "the handed-out token works");
        assertEquals(2, devices.json().getJsonArray("devices").size());
    }

    @Test
    void newDeviceCanWaitForApprovalOnAWebSocket() throws Exception {
        Device primary = gw.primary("+390644440008");
        LinkRequest request = gw.anonymous().createLinkRequest("browser", DeviceKeys.generate());
        java.util.concurrent.CompletableFuture<String> frame = new java.util.concurrent.CompletableFuture<>();
        java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + gw.uri().getPort() + "/v1/link-requests/" + request.linkId()
                        + "/stream?secret=" + request.secret()), new java.net.http.WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frame.complete(text.toString());
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        org.junit.jupiter.api.Assertions.assertFalse(frame.isDone(), "nothing is sent while the request is pending");
        primary.client().approveLink(request.qr(), primary.keys());
        JsonObject approved = new JsonObject(frame.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("approved", approved.getString("status"));
        assertEquals(200, gw.get("/v1/devices", approved.getString("token")).status());
        assertEquals("expired", poll(request).json().getString("status"), "the token went out once, on the socket");
        ws.abort();
    }

    @Test
    void aFailedHandshakeOnTheWaitingSocketDoesNotSpendTheToken() throws Exception {
        Device primary = gw.primary("+390644440009");
        LinkRequest request = gw.anonymous().createLinkRequest("browser", DeviceKeys.generate());
        primary.client().approveLink(request.qr(), primary.keys());
        // An upgrade request without the WebSocket key fails the handshake after the secret was checked.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.uri().getPort())) {
            socket.getOutputStream().write(("GET /v1/link-requests/" + request.linkId() + "/stream?secret=" + request.secret()
                    + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertTrue(statusLine.startsWith("HTTP/1.1 4"), statusLine);
        }
        JsonObject collected = poll(request).json();
        assertEquals("approved", collected.getString("status"), "the token is still there to collect");
        assertNotNull(collected.getString("token"));
    }

    @Test
    void abandonedApprovalsFreeTheirSlotAfterTheLinkLifetime() throws Exception {
        Device primary = gw.primary("+390644440010");
        for (int i = 0; i < 4; i++) {
            primary.client().approveLink(gw.anonymous().createLinkRequest("never collected " + i, DeviceKeys.generate()).qr(), primary.keys());
        }
        LinkRequest late = gw.anonymous().createLinkRequest("late", DeviceKeys.generate());
        assertEquals(409, gw.post("/v1/link-requests/" + late.linkId() + "/approve", primary.token(),
                "{\"accountSignature\":\"s\",\"provisioning\":\"p\"}").status(), "four approvals hold the four slots");
        gw.clock.advance(Duration.ofSeconds(121));
        var expired = gw.gateway().links().expireUncollected().toCompletionStage().toCompletableFuture().get();
        assertEquals(4, expired.stream().filter(d -> d.number().equals(primary.number())).count());
        LinkRequest next = gw.anonymous().createLinkRequest("next", DeviceKeys.generate());
        primary.client().approveLink(next.qr(), primary.keys());
        assertEquals("approved", poll(next).json().getString("status"));
    }

    @Test
    void waitingSocketRefusesAWrongSecret() throws Exception {
        LinkRequest request = gw.anonymous().createLinkRequest("browser", DeviceKeys.generate());
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                () -> java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + gw.uri().getPort() + "/v1/link-requests/"
                                + request.linkId() + "/stream?secret=wrong"), new java.net.http.WebSocket.Listener() { }).join());
        assertEquals(404, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }

    @Test
    void wrongSecretLooksLikeAnUnknownRequest() throws Exception {
        LinkRequest request = gw.anonymous().createLinkRequest("x", DeviceKeys.generate());
        assertEquals(404, gw.get("/v1/link-requests/" + request.linkId() + "?secret=nope", null).status());
        assertEquals(404, gw.get("/v1/link-requests/" + request.linkId(), null).status());
    }

    @Test
    void qrCodeIsServedAsSvg() throws Exception {
        LinkRequest request = gw.anonymous().createLinkRequest("x", DeviceKeys.generate());
        HttpResult svg = gw.get("/v1/link-requests/" + request.linkId() + "/qr.svg", null);
        assertEquals(200, svg.status());
        assertTrue(svg.body().startsWith("<svg"), svg.body());
    }

    @Test
    void fifthCompanionIsRefused() throws Exception {
        Device primary = gw.primary("+390644440002");
        for (int i = 0; i < 4; i++) {
            gw.link(primary, "companion " + i);
        }
        LinkRequest fifth = gw.anonymous().createLinkRequest("fifth", DeviceKeys.generate());
        HttpResult r = gw.post("/v1/link-requests/" + fifth.linkId() + "/approve", primary.token(),
                "{\"accountSignature\":\"sig\",\"provisioning\":\"p\"}");
        assertEquals(409, r.status());
        assertEquals("too_many_devices", r.error());
        assertEquals("pending", poll(fifth).json().getString("status"));
        assertEquals(5, primary.client().devices().size());
    }

    @Test
    void expiredRequestCannotBeApproved() throws Exception {
        Device primary = gw.primary("+390644440003");
        LinkRequest request = gw.anonymous().createLinkRequest("late", DeviceKeys.generate());
        gw.clock.advance(Duration.ofSeconds(121));
        assertEquals("expired", poll(request).json().getString("status"));
        HttpResult r = gw.post("/v1/link-requests/" + request.linkId() + "/approve", primary.token(),
                "{\"accountSignature\":\"sig\",\"provisioning\":\"p\"}");
        assertEquals(409, r.status());
        assertEquals("link_expired", r.error());
        assertEquals(1, primary.client().devices().size());
    }

    @Test
    void onlyThePrimaryApproves() throws Exception {
        Device primary = gw.primary("+390644440004");
        Device companion = gw.link(primary, "laptop");
        LinkRequest request = gw.anonymous().createLinkRequest("other", DeviceKeys.generate());
        HttpResult r = gw.post("/v1/link-requests/" + request.linkId() + "/approve", companion.token(),
                "{\"accountSignature\":\"sig\",\"provisioning\":\"p\"}");
        assertEquals(403, r.status());
    }

    @Test
    void newPrimaryReplacesTheOldOneAndUnlinksCompanions() throws Exception {
        Device primary = gw.primary("+390644440005");
        Device companion = gw.link(primary, "laptop");
        Device replacement = gw.primary("+390644440005");
        assertEquals(401, gw.get("/v1/devices", primary.token()).status());
        assertEquals(401, gw.get("/v1/devices", companion.token()).status());
        assertEquals(1, replacement.client().devices().size());
        var unlinked = replacement.client().sync(0, 1000).events().stream()
                .filter(e -> e.type().equals("device.unlinked")).map(e -> e.data().get("reason").asText()).toList();
        assertEquals(java.util.List.of("primary_replaced", "primary_replaced"), unlinked);
    }

    @Test
    void enrollmentCodeWorksOnce() throws Exception {
        String code = gw.serve("+390644440006");
        String body = dev.switchboard.gateway.support.SignedKeys.generate().fields().put("number", "+390644440006").put("code", code)
                .put("name", "p").encode();
        assertEquals(201, gw.post("/v1/devices/primary", null, body).status());
        HttpResult again = gw.post("/v1/devices/primary", null, body);
        assertEquals(403, again.status());
        assertEquals("invalid_enrollment_code", again.error());
    }

    @Test
    void companionMayUnlinkOnlyItself() throws Exception {
        Device primary = gw.primary("+390644440007");
        Device one = gw.link(primary, "one");
        Device two = gw.link(primary, "two");
        assertEquals(403, gw.request("DELETE", "/v1/devices/" + two.id(), one.token(), null, java.util.Map.of()).status());
        assertEquals(204, gw.request("DELETE", "/v1/devices/" + one.id(), one.token(), null, java.util.Map.of()).status());
        assertEquals(401, gw.get("/v1/devices", one.token()).status());
        assertEquals(204, gw.request("DELETE", "/v1/devices/" + two.id(), primary.token(), null, java.util.Map.of()).status());
        assertEquals(1, primary.client().devices().size());
    }
}
