package dev.switchboard.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.LinkRefusedException;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.LinkedDevice;
import dev.switchboard.client.SwitchboardApiException;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.SignedKeys;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LinkingTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static HttpResult poll(LinkRequest r) throws Exception {
        return gw.get("/v1/link-requests/" + r.linkId() + "?secret=" + r.secret(), null);
    }

    private static JsonObject keysOf(Device d) throws Exception {
        return gw.get("/v1/keys/" + URLEncoder.encode(d.number(), StandardCharsets.UTF_8), d.token()).json();
    }

    private static byte[] raw(String b64) {
        return Base64.getUrlDecoder().decode(b64);
    }

    /** A well-formed approval that no primary signed: for checks the server makes before any signature. */
    private static String unsignedApproval(Device primary) {
        JsonObject entry = new JsonObject().put("deviceId", primary.id()).put("identityKey", primary.keys().identityKeyB64())
                .put("encryptionKey", primary.keys().encryptionKeyB64()).put("kind", "primary");
        return new JsonObject().put("accountSignature", SignedKeys.b64(new byte[64])).put("provisioning", "p")
                .put("deviceList", new JsonObject().put("version", 1).put("issuedAt", 1).put("devices", new JsonArray().add(entry))
                        .put("signature", SignedKeys.b64(new byte[64]))).encode();
    }

    @Test
    void aCompanionIsLinkedWithASealedProvisioningBothSignaturesAndANewSignedList() throws Exception {
        Device primary = gw.primary("+390644440001");
        SwitchboardClient fresh = gw.anonymous();
        DeviceKeys keys = DeviceKeys.generate();
        LinkRequest request = fresh.createLinkRequest("laptop", keys);
        assertTrue(request.qr().startsWith("sblink:2:" + request.linkId() + ":"), "the device builds its QR code itself");
        assertTrue(request.qr().endsWith(":" + SignedKeys.b64(request.linkingSecret())), "with the linking secret in it");
        assertEquals("pending", poll(request).json().getString("status"));

        String approvedId = primary.client().approveLink(request.qr(), primary.keys());
        assertEquals(request.deviceId(), approvedId, "the device id was reserved at the request");
        JsonObject approved = poll(request).json();
        assertEquals("approved", approved.getString("status"));
        assertEquals(primary.number(), approved.getString("number"));
        assertEquals(request.deviceId(), approved.getString("deviceId"));
        assertNotNull(approved.getString("provisioning"));
        assertNull(approved.getValue("token"), "no token before the companion completes");
        assertEquals(1, primary.client().devices().size(), "no device before completion");

        LinkedDevice linked = fresh.awaitLink(request, Duration.ofSeconds(10));
        assertEquals(primary.number(), linked.credentials().number());
        assertEquals(request.deviceId(), linked.credentials().deviceId());
        assertEquals(primary.keys().identityKeyB64(), linked.provisioning().accountKey());
        assertEquals(1, linked.provisioning().listVersion());
        assertNull(linked.provisioning().history());
        assertEquals(200, gw.get("/v1/devices", linked.credentials().token()).status(), "the token works");
        assertEquals("expired", poll(request).json().getString("status"));
        HttpResult again = gw.post("/v1/link-requests/" + request.linkId() + "/complete", null,
                new JsonObject().put("secret", request.secret()).put("deviceSignature", SignedKeys.b64(new byte[64])).encode());
        assertEquals(409, again.status(), "the token is handed out once");
        assertEquals("link_completed", again.error());

        JsonObject published = keysOf(primary);
        JsonObject list = published.getJsonObject("deviceList");
        assertEquals(1, list.getLong("version"));
        assertFalse(list.getBoolean("stale"));
        assertEquals(2, list.getJsonArray("devices").size());
        for (Object o : published.getJsonArray("devices")) {
            JsonObject d = (JsonObject) o;
            if (d.getString("kind").equals("primary")) {
                assertNull(d.getValue("accountSignature"));
                assertNull(d.getValue("deviceSignature"));
                continue;
            }
            byte[] ikSig = raw(d.getString("identityKey"));
            byte[] ikEnc = raw(d.getString("encryptionKey"));
            assertTrue(Ed25519.verify(primary.keys().rawIdentityKey(),
                    Canonical.accountSignatureStatement(primary.number(), d.getString("deviceId"), ikSig, ikEnc),
                    raw(d.getString("accountSignature"))), "the account vouches for the companion's keys");
            assertTrue(Ed25519.verify(ikSig, Canonical.deviceSignatureStatement(primary.keys().rawIdentityKey(), ikSig, ikEnc),
                    raw(d.getString("deviceSignature"))), "the companion accepted the account");
            assertArrayEquals(keys.rawIdentityKey(), ikSig);
        }
    }

    @Test
    void theServerNeverStoresTheLinkingSecretAndServesNoQrCode() throws Exception {
        Device primary = gw.primary("+390644440011");
        LinkRequest request = gw.anonymous().createLinkRequest("x", DeviceKeys.generate());
        primary.client().approveLink(request.qr(), primary.keys());
        String secret = SignedKeys.b64(request.linkingSecret());
        try (var c = gw.jdbc(); var st = c.prepareStatement("SELECT row_to_json(l)::text FROM link_requests l WHERE id = ?")) {
            st.setString(1, request.linkId());
            try (var rs = st.executeQuery()) {
                assertTrue(rs.next());
                String row = rs.getString(1);
                assertFalse(row.contains(secret), row);
                assertFalse(row.contains(request.secret()), "the collection secret is stored hashed");
            }
        }
        assertEquals(404, gw.get("/v1/link-requests/" + request.linkId() + "/qr.svg", null).status());
    }

    @Test
    void thePrimarySeesTheRequestBeforeApprovingAndACompanionMayNot() throws Exception {
        Device primary = gw.primary("+390644440012");
        Device laptop = gw.link(primary, "laptop");
        DeviceKeys keys = DeviceKeys.generate();
        LinkRequest request = gw.anonymous().createLinkRequest("tablet", keys);
        HttpResult details = gw.get("/v1/link-requests/" + request.linkId() + "/details", primary.token());
        assertEquals(200, details.status(), details.body());
        JsonObject d = details.json();
        assertEquals(request.linkId(), d.getString("linkId"));
        assertEquals(request.deviceId(), d.getString("deviceId"));
        assertEquals("tablet", d.getString("name"));
        assertEquals(keys.identityKeyB64(), d.getString("identityKey"));
        assertEquals(keys.encryptionKeyB64(), d.getString("encryptionKey"));
        assertEquals(SignedKeys.b64(request.ephemeral().publicKey()), d.getString("ephemeralKey"));
        assertEquals("pending", d.getString("status"));
        assertEquals(403, gw.get("/v1/link-requests/" + request.linkId() + "/details", laptop.token()).status());
        assertEquals(401, gw.get("/v1/link-requests/" + request.linkId() + "/details", null).status());
    }

    @Test
    void newDeviceCanWaitForApprovalOnAWebSocket() throws Exception {
        Device primary = gw.primary("+390644440008");
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("browser", DeviceKeys.generate());
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
        assertFalse(frame.isDone(), "nothing is sent while the request is pending");
        primary.client().approveLink(request.qr(), primary.keys());
        JsonObject approved = new JsonObject(frame.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("approved", approved.getString("status"));
        assertEquals(request.deviceId(), approved.getString("deviceId"));
        assertNotNull(approved.getString("provisioning"));
        assertNull(approved.getValue("token"), "the socket hands out no token");
        ws.abort();
        LinkedDevice linked = fresh.awaitLink(request, Duration.ofSeconds(10));
        assertEquals(200, gw.get("/v1/devices", linked.credentials().token()).status());
    }

    @Test
    void anApprovalNotCompletedWithinTheLinkLifetimeExpiresAndHoldsNoSlot() throws Exception {
        Device primary = gw.primary("+390644440010");
        for (int i = 0; i < 4; i++) {
            primary.client().approveLink(gw.anonymous().createLinkRequest("never completed " + i, DeviceKeys.generate()).qr(),
                    primary.keys());
        }
        LinkRequest late = gw.anonymous().createLinkRequest("late", DeviceKeys.generate());
        gw.clock.advance(Duration.ofSeconds(121));
        assertEquals("expired", poll(late).json().getString("status"));
        assertTrue(gw.gateway().links().expireUncollected().toCompletionStage().toCompletableFuture().get() >= 4,
                "the abandoned approvals' provisioning is dropped");

        SwitchboardClient fresh = gw.anonymous();
        LinkRequest next = fresh.createLinkRequest("next", DeviceKeys.generate());
        primary.client().approveLink(next.qr(), primary.keys());
        assertEquals(200, gw.get("/v1/devices", fresh.awaitApproval(next, Duration.ofSeconds(10)).token()).status(),
                "abandoned approvals never held a companion slot");
    }

    @Test
    void anApprovalExpiresIfTheCompanionDoesNotCompleteInTime() throws Exception {
        Device primary = gw.primary("+390644440013");
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("slow", DeviceKeys.generate());
        primary.client().approveLink(request.qr(), primary.keys());
        gw.clock.advance(Duration.ofSeconds(121));
        SwitchboardApiException e = assertThrows(SwitchboardApiException.class, () -> fresh.awaitLink(request, Duration.ofSeconds(5)));
        assertEquals("link_expired", e.code());
        assertEquals(1, primary.client().devices().size());
    }

    @Test
    void waitingSocketRefusesAWrongSecret() throws Exception {
        LinkRequest request = gw.anonymous().createLinkRequest("browser", DeviceKeys.generate());
        var e = assertThrows(java.util.concurrent.CompletionException.class,
                () -> java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + gw.uri().getPort() + "/v1/link-requests/"
                                + request.linkId() + "/stream?secret=wrong"), new java.net.http.WebSocket.Listener() { }).join());
        assertEquals(404, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }

    @Test
    void wrongSecretLooksLikeAnUnknownRequest() throws Exception {
        Device primary = gw.primary("+390644440014");
        LinkRequest request = gw.anonymous().createLinkRequest("x", DeviceKeys.generate());
        primary.client().approveLink(request.qr(), primary.keys());
        assertEquals(404, gw.get("/v1/link-requests/" + request.linkId() + "?secret=nope", null).status());
        assertEquals(404, gw.get("/v1/link-requests/" + request.linkId(), null).status());
        HttpResult complete = gw.post("/v1/link-requests/" + request.linkId() + "/complete", null,
                new JsonObject().put("secret", "nope").put("deviceSignature", SignedKeys.b64(new byte[64])).encode());
        assertEquals(404, complete.status());
        assertEquals("not_found", complete.error());
    }

    @Test
    void fifthCompanionIsRefused() throws Exception {
        Device primary = gw.primary("+390644440002");
        for (int i = 0; i < 4; i++) {
            gw.link(primary, "companion " + i);
        }
        LinkRequest fifth = gw.anonymous().createLinkRequest("fifth", DeviceKeys.generate());
        SwitchboardApiException e = assertThrows(SwitchboardApiException.class, () -> primary.client().approveLink(fifth.qr(), primary.keys()));
        assertEquals(409, e.status());
        assertEquals("too_many_devices", e.code());
        assertEquals("pending", poll(fifth).json().getString("status"));
        assertEquals(5, primary.client().devices().size());
    }

    @Test
    void expiredRequestCannotBeApproved() throws Exception {
        Device primary = gw.primary("+390644440003");
        LinkRequest request = gw.anonymous().createLinkRequest("late", DeviceKeys.generate());
        gw.clock.advance(Duration.ofSeconds(121));
        assertEquals("expired", poll(request).json().getString("status"));
        assertThrows(LinkRefusedException.class, () -> primary.client().approveLink(request.qr(), primary.keys()),
                "the client sees the request is no longer pending");
        HttpResult r = gw.post("/v1/link-requests/" + request.linkId() + "/approve", primary.token(), unsignedApproval(primary));
        assertEquals(409, r.status());
        assertEquals("link_expired", r.error());
        assertEquals(1, primary.client().devices().size());
    }

    @Test
    void onlyThePrimaryApproves() throws Exception {
        Device primary = gw.primary("+390644440004");
        Device companion = gw.link(primary, "laptop");
        LinkRequest request = gw.anonymous().createLinkRequest("other", DeviceKeys.generate());
        HttpResult r = gw.post("/v1/link-requests/" + request.linkId() + "/approve", companion.token(), unsignedApproval(primary));
        assertEquals(403, r.status());
        assertEquals("forbidden", r.error());
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
        String body = SignedKeys.generate().fields().put("number", "+390644440006").put("code", code).put("name", "p").encode();
        assertEquals(201, gw.post("/v1/devices/primary", null, body).status());
        HttpResult again = gw.post("/v1/devices/primary", null, body);
        assertEquals(403, again.status());
        assertEquals("invalid_enrollment_code", again.error());
    }

    @Test
    void companionMayUnlinkOnlyItselfAndThePrimaryUnlinksWithASignedList() throws Exception {
        Device primary = gw.primary("+390644440007");
        Device one = gw.link(primary, "one");
        Device two = gw.link(primary, "two");
        assertEquals(2, keysOf(primary).getJsonObject("deviceList").getLong("version"));
        assertEquals(403, gw.request("DELETE", "/v1/devices/" + two.id(), one.token(), null, Map.of()).status());
        assertEquals(204, gw.request("DELETE", "/v1/devices/" + one.id(), one.token(), null, Map.of()).status());
        assertEquals(401, gw.get("/v1/devices", one.token()).status());
        assertTrue(keysOf(primary).getJsonObject("deviceList").getBoolean("stale"), "a companion leaving makes the list stale");

        HttpResult noList = gw.request("DELETE", "/v1/devices/" + two.id(), primary.token(), null, Map.of());
        assertEquals(400, noList.status());
        assertEquals("device_list_required", noList.error());
        assertEquals(200, gw.get("/v1/devices", two.token()).status(), "still linked");

        primary.client().unlink(two.id());
        assertEquals(401, gw.get("/v1/devices", two.token()).status(), "the device is gone");
        JsonObject list = keysOf(primary).getJsonObject("deviceList");
        assertEquals(3, list.getLong("version"));
        assertFalse(list.getBoolean("stale"));
        assertEquals(1, list.getJsonArray("devices").size());
        assertEquals(1, primary.client().devices().size());
    }
}
