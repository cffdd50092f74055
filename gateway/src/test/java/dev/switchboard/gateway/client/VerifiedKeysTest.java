package dev.switchboard.gateway.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.KeyVerificationException;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.SwitchboardApiException;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TrustStore;
import dev.switchboard.client.VerifiedDevice;
import dev.switchboard.client.VerifiedKeys;
import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.HttpResult;
import dev.switchboard.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's side of device keys and signed device lists against the real gateway: the signatures
 * it sends on enrolment, linking and rotation, the list a primary publishes, and what
 * {@code verifiedKeys} makes of another number's keys (rollbacks refused, a new account key reported).
 * Companions are linked with {@link #link}, which records each approval the way an app would; the
 * primary signs only those ({@code gw.link} records nothing: a device the primary does not know).
 */
class VerifiedKeysTest {

    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    @TempDir
    Path temp;

    /** The companions each primary (by device id) approved itself. */
    private final Map<String, ApprovedDevices> approvals = new HashMap<>();

    private TrustStore trust(String name) {
        return new TrustStore(temp.resolve(name).resolve("trust.json"));
    }

    /** Links a companion as {@code gw.link} does, recording the primary's approval of it. */
    private Device link(Device primary, String name) {
        DeviceKeys keys = DeviceKeys.generate();
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest request = fresh.createLinkRequest(name, keys);
        String deviceId = primary.client().approveLink(request.qr(), primary.keys());
        approvals.put(primary.id(), approved(primary).with(deviceId));
        DeviceCredentials creds = fresh.awaitApproval(request, Duration.ofSeconds(10));
        assertEquals(deviceId, creds.deviceId());
        return new Device(keys, creds, fresh.withCredentials(creds));
    }

    private ApprovedDevices approved(Device primary) {
        return approvals.getOrDefault(primary.id(), ApprovedDevices.none());
    }

    private long publish(Device primary) {
        return primary.client().publishDeviceList(primary.keys(), approved(primary));
    }

    // --- what enrolment and linking register -------------------------------------------------

    @Test
    void enrolledAndLinkedDevicesShowEncryptionKeysSignedByTheirIdentityKeys() throws Exception {
        Device primary = gw.primary("+390658580001");
        Device laptop = gw.link(primary, "laptop");

        HttpResult raw = gw.get("/v1/keys/" + encoded(primary.number()), laptop.token());

        assertEquals(200, raw.status(), raw.body());
        JsonObject body = raw.json();
        assertEquals(primary.number(), body.getString("number"));
        assertEquals(true, body.getBoolean("onnet"));
        assertEquals(primary.keys().identityKeyB64(), body.getString("accountKey"));
        JsonArray devices = body.getJsonArray("devices");
        assertEquals(2, devices.size());
        for (Device device : List.of(primary, laptop)) {
            JsonObject shown = find(devices, device.id());
            assertEquals(device.keys().encryptionKeyB64(), shown.getString("encryptionKey"));
            assertEquals("1", shown.getString("encryptionKeyId"));
            assertTrue(Ed25519.verify(device.keys().rawIdentityKey(),
                    Canonical.encryptionKeyStatement(device.keys().rawEncryptionKey()),
                    Base64.getUrlDecoder().decode(shown.getString("encryptionKeySignature"))), shown.encode());
        }
    }

    // --- publishing and verifying a list -----------------------------------------------------

    @Test
    void aPublishedListIsVerifiedFromAnotherNumber() throws Exception {
        Device alice = gw.primary("+390658580002");
        Device aliceLaptop = link(alice, "laptop");
        Device bob = gw.primary("+390658580003");

        assertEquals(2, publish(alice), "the link stored version 1");

        VerifiedKeys keys = bob.client().verifiedKeys(alice.number(), trust("bob"));
        assertEquals(alice.number(), keys.number());
        assertArrayEquals(alice.keys().rawIdentityKey(), keys.accountKey());
        assertEquals(2, keys.listVersion());
        assertFalse(keys.stale());
        assertFalse(keys.accountKeyChanged(), "first sight");
        assertTrue(keys.allDevicesListed());
        assertEquals(List.of(alice.id(), aliceLaptop.id()).stream().sorted().toList(),
                keys.devices().stream().map(VerifiedDevice::deviceId).toList());
        VerifiedDevice laptop = keys.device(aliceLaptop.id()).orElseThrow();
        assertEquals("companion", laptop.kind());
        assertEquals(aliceLaptop.keys().encryptionKeyB64(), laptop.encryptionKeyB64());
        assertEquals(aliceLaptop.keys().identityKeyB64(), laptop.identityKeyB64());
        assertTrue(laptop.encryptionKeySigned());
        assertEquals("primary", keys.device(alice.id()).orElseThrow().kind());

        assertEquals(3, publish(alice), "the next one is one higher");
        assertEquals(3, bob.client().verifiedKeys(alice.number(), trust("bob")).listVersion());
        assertEquals(3, trust("bob").peer(alice.number()).orElseThrow().highestVersion(), "remembered");
    }

    @Test
    void aNumberWithoutAPublishedListVerifiesWithVersion0() throws Exception {
        Device alice = gw.primary("+390658580004");
        Device bob = gw.primary("+390658580005");

        VerifiedKeys keys = bob.client().verifiedKeys(alice.number(), trust("bob"));

        assertEquals(0, keys.listVersion());
        assertFalse(keys.hasSignedList());
        assertArrayEquals(alice.keys().rawIdentityKey(), keys.accountKey());
        assertEquals(List.of(alice.id()), keys.devices().stream().map(VerifiedDevice::deviceId).toList());
    }

    @Test
    void aPrimaryVerifiesItsOwnNumber() throws Exception {
        Device alice = gw.primary("+390658580006");
        publish(alice);

        VerifiedKeys own = alice.client().verifiedKeys(alice.number(), trust("alice"));

        assertEquals(1, own.listVersion());
        assertTrue(own.allDevicesListed());
    }

    @Test
    void aListOlderThanOneSeenBeforeIsRefusedAsARollback() throws Exception {
        Device alice = gw.primary("+390658580007");
        Device bob = gw.primary("+390658580008");
        assertEquals(1, publish(alice));
        // Bob's store says he saw version 2 under this very account key; the gateway answers version 1.
        TrustStore remembered = trust("bob");
        remembered.put(alice.number(), 2, alice.keys().rawIdentityKey());

        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> bob.client().verifiedKeys(alice.number(), remembered));

        assertEquals(KeyVerificationException.Reason.ROLLBACK, e.reason());
        assertEquals(alice.number(), e.number());
        assertTrue(e.getMessage().contains("rollback"), e.getMessage());
        assertEquals(2, remembered.peer(alice.number()).orElseThrow().highestVersion(), "nothing was taken back");
        // The same store, reopened from its file, still refuses it.
        assertThrows(KeyVerificationException.class, () -> bob.client().verifiedKeys(alice.number(), trust("bob")));
    }

    @Test
    void onlyThePrimaryPublishesTheList() throws Exception {
        Device alice = gw.primary("+390658580009");
        Device laptop = link(alice, "laptop");

        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> laptop.client().publishDeviceList(laptop.keys(), ApprovedDevices.none().with(alice.id())),
                "a companion refuses to sign before the gateway would refuse its list (403, see DeviceListsTest)");

        assertEquals(KeyVerificationException.Reason.MISMATCH, e.reason());
        assertTrue(e.getMessage().contains(laptop.id()), e.getMessage());
    }

    // --- only devices the primary approved are signed ------------------------------------------

    @Test
    void aDeviceThePrimaryNeverApprovedIsNotSigned() throws Exception {
        Device alice = gw.primary("+390658580020");
        Device laptop = link(alice, "laptop");
        Device bob = gw.primary("+390658580021");
        assertEquals(2, publish(alice));
        // Approved with the account key by a client that recorded nothing: to this primary's
        // recorded approvals it is as unknown as a device the gateway added on its own (its
        // approval signed list version 3 all the same).
        Device intruder = gw.link(alice, "intruder");

        KeyVerificationException e = assertThrows(KeyVerificationException.class, () -> publish(alice));

        assertEquals(KeyVerificationException.Reason.UNAPPROVED, e.reason());
        assertEquals(alice.number(), e.number());
        assertTrue(e.getMessage().contains(intruder.id()), e.getMessage());
        assertFalse(e.getMessage().contains(laptop.id()), "the approved laptop is not the problem: " + e.getMessage());
        VerifiedKeys stored = bob.client().verifiedKeys(alice.number(), trust("bob"));
        assertEquals(3, stored.listVersion(), "nothing more was signed or published");
        assertFalse(stored.stale());
        assertTrue(stored.device(intruder.id()).orElseThrow().listed(), "the approving client signed it");

        alice.client().unlink(intruder.id());

        assertEquals(5, publish(alice), "once it is gone (version 4), the approved devices are signed");
        VerifiedKeys fresh = bob.client().verifiedKeys(alice.number(), trust("bob"));
        assertTrue(fresh.allDevicesListed());
        assertEquals(List.of(alice.id(), laptop.id()).stream().sorted().toList(),
                fresh.devices().stream().map(VerifiedDevice::deviceId).toList());
    }

    @Test
    void aPrimaryWithNoApprovalsRefusesEveryCompanion() throws Exception {
        Device alice = gw.primary("+390658580022");
        Device laptop = gw.link(alice, "laptop");

        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> alice.client().publishDeviceList(alice.keys(), ApprovedDevices.none()));

        assertEquals(KeyVerificationException.Reason.UNAPPROVED, e.reason());
        assertTrue(e.getMessage().contains(laptop.id()), e.getMessage());
        assertEquals(1, gw.get("/v1/keys/" + encoded(alice.number()), alice.token()).json().getJsonObject("deviceList")
                .getLong("version"), "nothing was published after the link's own list");
    }

    @Test
    void anApprovedCompanionShownWithAnotherIdentityKeyIsNotSigned() throws Exception {
        Device alice = gw.primary("+390658580023");
        Device laptop = link(alice, "laptop");
        // Recorded with the identity key it showed when approved; the gateway now shows another one.
        ApprovedDevices approvedWithKey = ApprovedDevices.none().with(laptop.id(), DeviceKeys.generate().rawIdentityKey());

        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> alice.client().publishDeviceList(alice.keys(), approvedWithKey));

        assertEquals(KeyVerificationException.Reason.MISMATCH, e.reason());
        assertTrue(e.getMessage().contains(laptop.id()), e.getMessage());
        assertEquals(2, alice.client().publishDeviceList(alice.keys(),
                ApprovedDevices.none().with(laptop.id(), laptop.keys().rawIdentityKey())), "the key it was approved with");
    }

    @Test
    void anApprovedCompanionThatWasUnlinkedIsLeftOut() throws Exception {
        Device alice = gw.primary("+390658580024");
        Device laptop = link(alice, "laptop");
        Device bob = gw.primary("+390658580025");
        alice.client().unlink(laptop.id());

        assertEquals(3, publish(alice), "after the link's version 1 and the unlink's version 2");

        VerifiedKeys keys = bob.client().verifiedKeys(alice.number(), trust("bob"));
        assertTrue(keys.allDevicesListed());
        assertEquals(List.of(alice.id()), keys.devices().stream().map(VerifiedDevice::deviceId).toList());
    }

    // --- rotation and linking make the list stale ---------------------------------------------

    @Test
    void aRotatedKeyIsShownAndTheListIsStaleUntilThePrimaryPublishesAgain() throws Exception {
        Device alice = gw.primary("+390658580010");
        Device laptop = link(alice, "laptop");
        Device bob = gw.primary("+390658580011");
        publish(alice);
        TrustStore bobTrust = trust("bob");
        assertFalse(bob.client().verifiedKeys(alice.number(), bobTrust).stale());

        DeviceKeys rotated = laptop.keys().withNewEncryptionKey();
        assertEquals("2", laptop.client().rotateEncryptionKey(rotated, "2"));

        VerifiedKeys stale = bob.client().verifiedKeys(alice.number(), bobTrust);
        assertTrue(stale.stale());
        assertEquals(2, stale.listVersion());
        assertFalse(stale.allDevicesListed());
        VerifiedDevice shown = stale.device(laptop.id()).orElseThrow();
        assertEquals(rotated.encryptionKeyB64(), shown.encryptionKeyB64(), "the new key");
        assertEquals("2", shown.encryptionKeyId());
        assertTrue(shown.encryptionKeySigned());
        assertFalse(shown.listed(), "the signed list still has the old key");
        assertTrue(stale.device(alice.id()).orElseThrow().listed());

        assertEquals(3, publish(alice));

        VerifiedKeys fresh = bob.client().verifiedKeys(alice.number(), bobTrust);
        assertFalse(fresh.stale());
        assertEquals(3, fresh.listVersion());
        assertTrue(fresh.allDevicesListed());
        assertEquals(rotated.encryptionKeyB64(), fresh.device(laptop.id()).orElseThrow().encryptionKeyB64());
    }

    @Test
    void thePrimaryRotatesItsOwnKeyAndSignsTheListWithItsNewKeys() throws Exception {
        Device alice = gw.primary("+390658580012");
        Device bob = gw.primary("+390658580013");
        publish(alice);
        DeviceKeys rotated = alice.keys().withNewEncryptionKey();

        alice.client().rotateEncryptionKey(rotated, "k2");

        KeyVerificationException stale = assertThrows(KeyVerificationException.class,
                () -> publish(alice),
                "the old encryption key is not what the gateway lists for this device any more");
        assertEquals(KeyVerificationException.Reason.MISMATCH, stale.reason());
        assertEquals(2, alice.client().publishDeviceList(rotated, approved(alice)));
        VerifiedKeys keys = bob.client().verifiedKeys(alice.number(), trust("bob"));
        assertTrue(keys.allDevicesListed());
        assertEquals("k2", keys.device(alice.id()).orElseThrow().encryptionKeyId());
        assertArrayEquals(alice.keys().rawIdentityKey(), keys.accountKey(), "the account key stays");
    }

    @Test
    void aRotationFromADeviceFolderSurvivesACrashAfterTheGatewayTookTheKey() throws Exception {
        String number = "+390658580030";
        DeviceFolder folder = new DeviceFolder(temp.resolve("alice"));
        DeviceCredentials creds = gw.anonymous().enrollPrimary(number, gw.serve(number), "phone", folder.keys());
        SwitchboardClient alice = gw.anonymous().withCredentials(creds);
        DeviceKeys first = folder.keys();

        assertEquals("2", alice.rotateEncryptionKey(folder, "2"));
        assertEquals("2", folder.encryptionKeyId());
        DeviceKeys second = folder.keys();
        assertEquals(second.encryptionKeyB64(), shownKey(alice, number, creds.deviceId()));
        assertTrue(folder.encryptionKey("1").isPresent(), "the old key is kept");

        // A crash between the gateway taking key 3 and the folder promoting it:
        DeviceKeys third = second.withNewEncryptionKey();
        folder.savePendingEncryptionKey(third, "3");
        alice.rotateEncryptionKey(third, "3");
        DeviceFolder restarted = new DeviceFolder(folder.dir());
        assertEquals("2", restarted.encryptionKeyId(), "not promoted yet");

        assertTrue(gw.anonymous().withCredentials(creds).reconcilePendingEncryptionKey(restarted));

        assertEquals("3", restarted.encryptionKeyId());
        assertEquals(third.encryptionKeyB64(), restarted.keys().encryptionKeyB64());
        assertEquals(Optional.empty(), restarted.pendingEncryptionKey());
        assertTrue(restarted.encryptionKey("2").isPresent() && restarted.encryptionKey("1").isPresent());
        assertEquals(first.identityKeyB64(), restarted.keys().identityKeyB64());
        assertFalse(alice.reconcilePendingEncryptionKey(restarted), "nothing pending");
    }

    private String shownKey(SwitchboardClient client, String number, String deviceId) {
        return client.verifiedKeys(number, trust("shown")).device(deviceId).orElseThrow().encryptionKeyB64();
    }

    @Test
    void rotatingUnderTheCurrentKeyIdIsRefused() throws Exception {
        Device alice = gw.primary("+390658580014");

        SwitchboardApiException e = assertThrows(SwitchboardApiException.class,
                () -> alice.client().rotateEncryptionKey(alice.keys().withNewEncryptionKey(), "1"));

        assertEquals(409, e.status());
        assertEquals("key_id_unchanged", e.code());
    }

    @Test
    void aNewlyLinkedDeviceIsListedByTheListItsApprovalSigned() throws Exception {
        Device alice = gw.primary("+390658580015");
        Device bob = gw.primary("+390658580016");
        publish(alice);

        Device tablet = link(alice, "tablet");

        VerifiedKeys keys = bob.client().verifiedKeys(alice.number(), trust("bob"));
        assertFalse(keys.stale());
        assertEquals(2, keys.listVersion());
        assertTrue(keys.device(tablet.id()).orElseThrow().listed());
        assertTrue(keys.allDevicesListed());
    }

    // --- a new primary ------------------------------------------------------------------------

    @Test
    void aReplacedPrimaryIsReportedAsAnAccountKeyChangeUntilAcknowledged() throws Exception {
        String number = "+390658580017";
        Device oldPhone = gw.primary(number);
        Device bob = gw.primary("+390658580018");
        assertEquals(1, publish(oldPhone));
        TrustStore bobTrust = trust("bob");
        assertFalse(bob.client().verifiedKeys(number, bobTrust).accountKeyChanged());

        Device newPhone = enrollAgain(number);

        VerifiedKeys changed = bob.client().verifiedKeys(number, bobTrust);
        assertTrue(changed.accountKeyChanged());
        assertArrayEquals(newPhone.keys().rawIdentityKey(), changed.accountKey());
        assertEquals(0, changed.listVersion(), "the old primary's list is gone with it");
        assertEquals(List.of(newPhone.id()), changed.devices().stream().map(VerifiedDevice::deviceId).toList());
        assertArrayEquals(newPhone.keys().rawIdentityKey(), bobTrust.peer(number).orElseThrow().rawAccountKey().orElseThrow());

        assertTrue(bob.client().verifiedKeys(number, bobTrust).accountKeyChanged(), "reported until acknowledged");
        assertTrue(bobTrust.acknowledge(number));
        assertFalse(bob.client().verifiedKeys(number, bobTrust).accountKeyChanged(), "acknowledged");
        long version = publish(newPhone);
        assertEquals(1, version, "a new account key starts a fresh list history");
        VerifiedKeys republished = bob.client().verifiedKeys(number, bobTrust);
        assertEquals(1, republished.listVersion());
        assertFalse(republished.accountKeyChanged());
        assertTrue(republished.allDevicesListed());
    }

    // --- errors -------------------------------------------------------------------------------

    @Test
    void aNumberThisGatewayDoesNotServeIsNotFound() throws Exception {
        Device bob = gw.primary("+390658580019");
        TrustStore bobTrust = trust("bob");

        SwitchboardApiException e = assertThrows(SwitchboardApiException.class,
                () -> bob.client().verifiedKeys("+14155550123", bobTrust));

        assertEquals(404, e.status());
        assertEquals("not_found", e.code());
        assertFalse(Files.exists(bobTrust.file()), "nothing remembered");
    }

    // -----------------------------------------------------------------------------------------

    private static Device enrollAgain(String number) throws Exception {
        String code = gw.serve(number);
        DeviceKeys keys = DeviceKeys.generate();
        DeviceCredentials creds = gw.anonymous().enrollPrimary(number, code, "new phone", keys);
        return new Device(keys, creds, gw.anonymous().withCredentials(creds));
    }

    private static JsonObject find(JsonArray devices, String id) {
        for (int i = 0; i < devices.size(); i++) {
            if (id.equals(devices.getJsonObject(i).getString("deviceId"))) {
                return devices.getJsonObject(i);
            }
        }
        throw new AssertionError("no device " + id + " in " + devices.encode());
    }

    private static String encoded(String number) {
        return URLEncoder.encode(number, StandardCharsets.UTF_8);
    }
}
