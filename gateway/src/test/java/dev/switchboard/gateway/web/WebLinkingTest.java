package dev.switchboard.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.LinkQr;
import dev.switchboard.gateway.support.ApprovalBuilder;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Linking a browser as a companion through {@code /js/core/linking.js}, against the real gateway
 * and a primary run by the Java client: the page's QR text is what the Java client parses and
 * approves, the page completes the link and holds a working token; an approval the page cannot
 * verify (what a gateway without the linking secret could forge) is refused and nothing is linked;
 * an expired request says so. Keys stay in IndexedDB, non-extractable, until log out.
 */
class WebLinkingTest {

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static final String START = """
            const {DeviceKeys} = await import('/js/core/keys.js');
            const {Api} = await import('/js/core/api.js');
            const {startLink} = await import('/js/core/linking.js');
            const keys = await DeviceKeys.loadOrCreate();
            const link = await startLink(new Api(), keys, 'Chromium');
            window.__link = link;
            window.__outcome = link.wait().then(ok => ({ok}), e => ({code: e.code || null, message: e.message}));
            return {qrText: link.qrText, linkId: link.linkId, deviceId: link.deviceId, expiresAt: link.expiresAt,
                    identityKey: keys.identityKey, encryptionKey: keys.encryptionKey};
            """;

    private static final String OUTCOME = "return await window.__outcome;";

    @Test
    void aBrowserShowsACodeTheJavaPrimaryApprovesAndBecomesALinkedCompanion() throws Exception {
        Device phone = gw.primary("+390618180001");
        try (CorePage page = CorePage.open(gw)) {
            Map<String, Object> started = page.map(START);
            String qrText = (String) started.get("qrText");
            LinkQr qr = LinkQr.parse(qrText);
            assertEquals(started.get("linkId"), qr.linkId());
            assertEquals(started.get("identityKey"), qr.identityKey());

            String approved = phone.client().approveLink(qrText, phone.keys());
            assertEquals(started.get("deviceId"), approved);

            @SuppressWarnings("unchecked")
            Map<String, Object> linked = (Map<String, Object>) page.map(OUTCOME).get("ok");
            assertEquals("+390618180001", linked.get("number"));
            assertEquals(approved, linked.get("deviceId"));
            assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(phone.keys().rawIdentityKey()),
                    linked.get("accountKey"));
            assertEquals(1L, ((Number) linked.get("listVersion")).longValue());

            // The token works, and the gateway now lists the browser in a current list signed by the account key.
            String token = (String) linked.get("token");
            JsonObject keys = gw.get("/v1/keys/%2B390618180001", token).json();
            assertFalse(keys.getJsonObject("deviceList").getBoolean("stale"));
            boolean listed = keys.getJsonObject("deviceList").getJsonArray("devices").stream()
                    .map(JsonObject.class::cast)
                    .anyMatch(d -> d.getString("deviceId").equals(approved) && d.getString("kind").equals("companion")
                            && d.getString("identityKey").equals(started.get("identityKey")));
            assertTrue(listed, keys.encodePrettily());
            JsonObject companion = keys.getJsonArray("devices").stream().map(JsonObject.class::cast)
                    .filter(d -> d.getString("deviceId").equals(approved)).findFirst().orElseThrow();
            assertTrue(companion.getString("deviceSignature") != null, "the page signed the account key back");

            // What the page learned about its own number is kept in its trust store.
            Map<String, Object> trusted = page.map("""
                    const {defaultTrustStore} = await import('/js/core/trust.js');
                    return await defaultTrustStore().peer(args[0]);
                    """, "+390618180001");
            assertEquals(linked.get("accountKey"), trusted.get("accountKey"));
            assertEquals(1L, ((Number) trusted.get("highestVersion")).longValue());
        }
    }

    @Test
    void anApprovalThatDoesNotCheckOutIsRefusedAndNothingIsLinked() throws Exception {
        Device phone = gw.primary("+390618180002");
        try (CorePage page = CorePage.open(gw)) {
            // 1: sealed without the QR code's linking secret, as the gateway itself could (it never sees the secret).
            Map<String, Object> started = page.map(START);
            LinkQr qr = LinkQr.parse((String) started.get("qrText"));
            byte[] encryptionKey = Base64.getUrlDecoder().decode((String) started.get("encryptionKey"));
            byte[] forgedSecret = new byte[32];
            new java.security.SecureRandom().nextBytes(forgedSecret);
            HttpResult forged = ApprovalBuilder.forQr(gw, phone, qr, (String) started.get("deviceId"), encryptionKey)
                    .sealedWith(forgedSecret).post();
            assertEquals(200, forged.status(), forged.toString());
            Map<String, Object> outcome = page.map(OUTCOME);
            assertEquals("link_refused", outcome.get("code"), String.valueOf(outcome));
            assertTrue(String.valueOf(outcome.get("message")).contains("linking secret"), String.valueOf(outcome));

            // 2: the account signature inside covers another encryption key than the page's.
            Map<String, Object> again = page.map(START);
            LinkQr second = LinkQr.parse((String) again.get("qrText"));
            byte[] otherKey = dev.switchboard.crypto.X25519.generate().publicKey();
            HttpResult swapped = ApprovalBuilder.forQr(gw, phone, second, (String) again.get("deviceId"),
                    Base64.getUrlDecoder().decode((String) again.get("encryptionKey"))).sealedSignatureCovers(otherKey).post();
            assertEquals(200, swapped.status(), swapped.toString());
            Map<String, Object> refused = page.map(OUTCOME);
            assertEquals("link_refused", refused.get("code"), String.valueOf(refused));
            assertTrue(String.valueOf(refused.get("message")).contains("account signature"), String.valueOf(refused));

            // Neither completed: the number has its primary only.
            JsonObject keys = gw.get("/v1/keys/%2B390618180002", phone.token()).json();
            assertEquals(1, keys.getJsonArray("devices").size(), keys.encodePrettily());
        }
    }

    @Test
    void anExpiredRequestRejectsWithLinkExpired() throws Exception {
        try (CorePage page = CorePage.open(gw)) {
            page.map(START);
            gw.clock.advance(Duration.ofMinutes(3));
            Map<String, Object> outcome = page.map(OUTCOME);
            assertEquals("link_expired", outcome.get("code"), String.valueOf(outcome));
        }
    }

    @Test
    void theKeysSurviveAReloadStayNonExtractableAndLogOutForgetsThem() {
        try (CorePage page = CorePage.open(gw)) {
            String first = page.text("""
                    const {DeviceKeys} = await import('/js/core/keys.js');
                    return (await DeviceKeys.loadOrCreate()).identityKey;
                    """);
            page.browser().driver().navigate().refresh();
            Map<String, Object> reloaded = page.map("""
                    const {DeviceKeys} = await import('/js/core/keys.js');
                    const prim = await import('/js/core/prim.js');
                    const {encryptionKeyStatement} = await import('/js/core/canonical.js');
                    const b64 = await import('/js/core/b64.js');
                    const keys = await DeviceKeys.loadOrCreate();
                    const exportable = await crypto.subtle.exportKey('pkcs8', keys.encryptionPrivateKey()).then(() => true, () => false);
                    const signed = await prim.ed25519Verify(keys.rawIdentityKey, encryptionKeyStatement(keys.rawEncryptionKey),
                        b64.decode(keys.encryptionKeySignature));
                    return {identityKey: keys.identityKey, exportable, signed, keyId: keys.encryptionKeyId};
                    """);
            assertEquals(first, reloaded.get("identityKey"));
            assertEquals(false, reloaded.get("exportable"));
            assertEquals(true, reloaded.get("signed"));
            assertEquals("1", reloaded.get("keyId"));
            String afterLogOut = page.text("""
                    const {DeviceKeys} = await import('/js/core/keys.js');
                    await DeviceKeys.forget();
                    return (await DeviceKeys.loadOrCreate()).identityKey;
                    """);
            assertNotEquals(first, afterLogOut);
        }
    }
}
