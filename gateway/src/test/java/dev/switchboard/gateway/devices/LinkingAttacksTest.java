package dev.switchboard.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.KeyVerificationException;
import dev.switchboard.client.LinkQr;
import dev.switchboard.client.LinkRefusedException;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.LinkedDevice;
import dev.switchboard.client.SwitchboardApiException;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TrustStore;
import dev.switchboard.crypto.X25519;
import dev.switchboard.gateway.support.ApprovalBuilder;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.SignedKeys;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What linking refuses: whoever did not see the QR code (the server included) cannot provision a
 * companion, nor can anybody slip in a list or keys the account key did not sign, nor complete a link
 * whose number changed since the approval.
 */
class LinkingAttacksTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static long listVersion(Device d) throws Exception {
        JsonObject list = gw.get("/v1/keys/" + URLEncoder.encode(d.number(), StandardCharsets.UTF_8), d.token()).json()
                .getJsonObject("deviceList");
        return list == null ? 0 : list.getLong("version");
    }

    private static byte[] random32() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Test
    void aProvisioningSealedWithoutTheQrCodesLinkingSecretIsRefusedByTheCompanionWhichNeverCompletes() throws Exception {
        Device primary = gw.primary("+390645550001");
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("laptop", DeviceKeys.generate());
        // Someone who knows everything the server knows (link id, keys) but not the QR code's secret.
        LinkQr seen = LinkQr.parse(request.qr());
        String guessed = new LinkQr(seen.linkId(), seen.ephemeralKey(), seen.identityKey(), SignedKeys.b64(random32())).text();
        primary.client().approveLink(guessed, primary.keys());

        LinkRefusedException e = assertThrows(LinkRefusedException.class, () -> fresh.awaitLink(request, WAIT));
        assertTrue(e.getMessage().contains("linking secret"), e.getMessage());
        assertEquals("approved", gw.get("/v1/link-requests/" + request.linkId() + "?secret=" + request.secret(), null).json()
                .getString("status"), "never completed");
        assertEquals(1, primary.client().devices().size());
    }

    @Test
    void thePrimaryRefusesARequestWhoseKeysAreNotTheQrCodes() throws Exception {
        Device primary = gw.primary("+390645550002");
        LinkRequest request = gw.anonymous().createLinkRequest("laptop", DeviceKeys.generate());
        LinkQr seen = LinkQr.parse(request.qr());
        String otherIdentity = new LinkQr(seen.linkId(), seen.ephemeralKey(), DeviceKeys.generate().identityKeyB64(),
                seen.linkingSecret()).text();
        String otherEphemeral = new LinkQr(seen.linkId(), SignedKeys.b64(X25519.generate().publicKey()), seen.identityKey(),
                seen.linkingSecret()).text();

        assertThrows(LinkRefusedException.class, () -> primary.client().approveLink(otherIdentity, primary.keys()));
        assertThrows(LinkRefusedException.class, () -> primary.client().approveLink(otherEphemeral, primary.keys()));
        assertEquals("pending", gw.get("/v1/link-requests/" + request.linkId() + "?secret=" + request.secret(), null).json()
                .getString("status"), "nothing was approved");
    }

    @Test
    void aDeviceListNotSignedByTheAccountKeyIsRefused() throws Exception {
        Device primary = gw.primary("+390645550003");
        LinkRequest request = gw.anonymous().createLinkRequest("laptop", DeviceKeys.generate());
        DeviceKeys impostor = DeviceKeys.generate();

        HttpResult r = ApprovalBuilder.of(gw, primary, request).listSignedBy(impostor::sign).post();

        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_signature", r.error());
    }

    @Test
    void aReplayedOlderListIsRefusedByTheServerAndByTheCompanionsTrustStore(@TempDir Path dir) throws Exception {
        Device primary = gw.primary("+390645550004");
        gw.link(primary, "one");
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest second = fresh.createLinkRequest("two", DeviceKeys.generate());
        primary.client().approveLink(second.qr(), primary.keys());
        LinkedDevice two = fresh.awaitLink(second, WAIT);
        assertEquals(2, two.provisioning().listVersion());

        LinkRequest third = gw.anonymous().createLinkRequest("three", DeviceKeys.generate());
        HttpResult replay = ApprovalBuilder.of(gw, primary, third).version(2).post();
        assertEquals(409, replay.status(), replay.body());
        assertEquals("stale_version", replay.error());

        TrustStore trust = new TrustStore(dir.resolve("trust.json"));
        two.provisioning().trust(trust);
        KeyVerificationException rollback = assertThrows(KeyVerificationException.class,
                () -> trust.accept(primary.number(), two.provisioning().rawAccountKey(), 1));
        assertEquals(KeyVerificationException.Reason.ROLLBACK, rollback.reason());
    }

    @Test
    void anAccountSignatureNotMadeByTheAccountKeyIsRefusedAtApproval() throws Exception {
        Device primary = gw.primary("+390645550005");
        LinkRequest request = gw.anonymous().createLinkRequest("laptop", DeviceKeys.generate());
        DeviceKeys impostor = DeviceKeys.generate();

        HttpResult r = ApprovalBuilder.of(gw, primary, request).accountSignedBy(impostor::sign).post();

        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_account_signature", r.error());
    }

    @Test
    void aProvisioningWhoseAccountSignatureDoesNotCoverTheCompanionsKeysIsRefusedByTheCompanion() throws Exception {
        Device primary = gw.primary("+390645550006");
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("laptop", DeviceKeys.generate());
        HttpResult approved = ApprovalBuilder.of(gw, primary, request).sealedSignatureCovers(X25519.generate().publicKey()).post();
        assertEquals(200, approved.status(), approved.body());

        LinkRefusedException e = assertThrows(LinkRefusedException.class, () -> fresh.awaitLink(request, WAIT));
        assertTrue(e.getMessage().contains("account signature"), e.getMessage());
        assertEquals(1, primary.client().devices().size());
    }

    @Test
    void aDeviceSignatureNotMadeByTheCompanionIsRefused() throws Exception {
        Device primary = gw.primary("+390645550007");
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest("laptop", DeviceKeys.generate());
        primary.client().approveLink(request.qr(), primary.keys());
        SignedKeys other = SignedKeys.generate();

        HttpResult forged = gw.post("/v1/link-requests/" + request.linkId() + "/complete", null, new JsonObject()
                .put("secret", request.secret())
                .put("deviceSignature", ApprovalBuilder.deviceSignature(primary.keys().rawIdentityKey(), other.identity(),
                        request.keys().rawEncryptionKey())).encode());

        assertEquals(400, forged.status(), forged.body());
        assertEquals("invalid_device_signature", forged.error());
        assertEquals(1, primary.client().devices().size());
        assertEquals(200, gw.get("/v1/devices", fresh.awaitApproval(request, WAIT).token()).status(), "the real companion still can");
    }

    @Test
    void aListThatChangedBetweenApprovalAndCompletionMakesTheLinkOutdated() throws Exception {
        Device primary = gw.primary("+390645550008");
        SwitchboardClient slow = gw.anonymous();
        LinkRequest slowRequest = slow.createLinkRequest("slow", DeviceKeys.generate());
        primary.client().approveLink(slowRequest.qr(), primary.keys());
        gw.link(primary, "fast");

        SwitchboardApiException e = assertThrows(SwitchboardApiException.class, () -> slow.awaitLink(slowRequest, WAIT));
        assertEquals(409, e.status());
        assertEquals("link_outdated", e.code());
        assertEquals(2, primary.client().devices().size(), "only the fast companion is linked");
        assertEquals(1, listVersion(primary));
    }

    @Test
    void theServerCannotAddADeviceToTheListThePrimarySigns() throws Exception {
        Device primary = gw.primary("+390645550009");
        // A device the primary never approved, inserted behind its back (as a malicious server could).
        try (var c = gw.jdbc(); var st = c.prepareStatement("INSERT INTO devices (id, number, kind, name, identity_key, encryption_key,"
                + " created_at, last_seen_at, encryption_key_id, encryption_key_signature) VALUES (?, ?, 'companion', 'ghost', ?, ?,"
                + " now(), now(), '1', ?)")) {
            SignedKeys ghost = SignedKeys.generate();
            st.setString(1, "dev_ghost");
            st.setString(2, primary.number());
            st.setString(3, ghost.identityKey());
            st.setString(4, ghost.encryptionKey());
            st.setString(5, ghost.encryptionKeySignature());
            st.executeUpdate();
        }
        LinkRequest request = gw.anonymous().createLinkRequest("laptop", DeviceKeys.generate());
        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> primary.client().approveLink(request.qr(), primary.keys()));
        assertEquals(KeyVerificationException.Reason.UNAPPROVED, e.reason());
        assertTrue(e.getMessage().contains("dev_ghost"), e.getMessage());
    }
}
