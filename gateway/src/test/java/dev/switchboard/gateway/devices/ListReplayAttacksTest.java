package dev.switchboard.gateway.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.client.ApprovedDevices;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.DeviceKeys;
import dev.switchboard.client.KeyVerificationException;
import dev.switchboard.client.KeyVerificationException.Reason;
import dev.switchboard.client.LinkQr;
import dev.switchboard.client.LinkRefusedException;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.LinkedDevice;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TrustStore;
import dev.switchboard.gateway.support.Device;
import dev.switchboard.gateway.support.TestGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway that replays an older device list of a number (stored row rewritten behind the API's
 * back, as a malicious or compromised server could) cannot get its primary to sign a device it
 * unlinked back into a new list, nor show two different lists under one version unnoticed: the
 * primary remembers the last list it signed, devices remember a digest per version.
 */
class ListReplayAttacksTest {
    @RegisterExtension
    static final TestGateway gw = TestGateway.perClass();

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The stored device list row of a number, as the gateway keeps it. */
    private record ListRow(long version, long issuedAt, String devices, String signature, boolean stale) {
    }

    private static ListRow storedList(String number) throws Exception {
        try (Connection c = gw.jdbc(); PreparedStatement st = c.prepareStatement(
                "SELECT version, issued_at, devices::text, signature, stale FROM device_lists WHERE number = ?")) {
            st.setString(1, number);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "a stored list for " + number);
                return new ListRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getBoolean(5));
            }
        }
    }

    /** The gateway puts {@code row} back as the number's list, as if it were still current. */
    private static void replay(String number, ListRow row) throws Exception {
        try (Connection c = gw.jdbc(); PreparedStatement st = c.prepareStatement("UPDATE device_lists SET version = ?, issued_at = ?,"
                + " devices = ?::jsonb, signature = ?, stale = ? WHERE number = ?")) {
            st.setLong(1, row.version());
            st.setLong(2, row.issuedAt());
            st.setString(3, row.devices());
            st.setString(4, row.signature());
            st.setBoolean(5, row.stale());
            st.setString(6, number);
            assertEquals(1, st.executeUpdate());
        }
    }

    /** The gateway shows an unlinked device as active again. */
    private static void relink(String deviceId) throws Exception {
        try (Connection c = gw.jdbc(); PreparedStatement st = c.prepareStatement("UPDATE devices SET unlinked_at = NULL WHERE id = ?")) {
            st.setString(1, deviceId);
            assertEquals(1, st.executeUpdate());
        }
    }

    /** The list the primary signed at approval of a link request that was not completed, as the gateway keeps it. */
    private static ListRow pendingList(String linkId) throws Exception {
        try (Connection c = gw.jdbc(); PreparedStatement st = c.prepareStatement("SELECT (pending_list->>'version')::bigint,"
                + " (pending_list->>'issuedAt')::bigint, (pending_list->'devices')::text, pending_list->>'signature'"
                + " FROM link_requests WHERE id = ?")) {
            st.setString(1, linkId);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "link request " + linkId);
                return new ListRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), true);
            }
        }
    }

    private static String linkStatus(LinkRequest request) throws Exception {
        return gw.get("/v1/link-requests/" + request.linkId() + "?secret=" + request.secret(), null).json().getString("status");
    }

    @Test
    void aReplayedOlderListBeforeAnApprovalIsRefusedAndTheUnlinkedDeviceIsNotSignedBackIn() throws Exception {
        Device primary = gw.primary("+390646660001");
        Device stolen = gw.link(primary, "stolen");
        ListRow withStolen = storedList(primary.number());
        primary.client().unlink(stolen.id(), primary.keys(), ApprovedDevices.none());
        assertEquals(2, storedList(primary.number()).version());

        replay(primary.number(), withStolen);
        relink(stolen.id());
        LinkRequest request = gw.anonymous().createLinkRequest("new laptop", DeviceKeys.generate());
        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> primary.client().approveLink(request.qr(), primary.keys()));

        assertEquals(Reason.ROLLBACK, e.reason());
        assertTrue(e.getMessage().contains("version 1") && e.getMessage().contains("version 2"), e.getMessage());
        assertEquals("pending", linkStatus(request), "nothing was approved, nothing signed");
        assertEquals(withStolen, storedList(primary.number()));

        // Control: a primary that kept no record of what it signed is fooled by the same replay.
        SwitchboardClient forgetful = gw.anonymous().withCredentials(primary.credentials());
        forgetful.approveLink(request.qr(), primary.keys());
        assertTrue(pendingList(request.linkId()).devices().contains(stolen.id()),
                "without the record, the replayed list's unlinked device is signed back in");
    }

    @Test
    void aReplayedOlderListBeforeAnUnlinkIsRefused() throws Exception {
        Device primary = gw.primary("+390646660002");
        Device stolen = gw.link(primary, "stolen");
        Device laptop = gw.link(primary, "laptop");
        ListRow withStolen = storedList(primary.number());
        assertEquals(2, withStolen.version());
        primary.client().unlink(stolen.id(), primary.keys(), ApprovedDevices.none());

        replay(primary.number(), withStolen);
        relink(stolen.id());
        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> primary.client().unlink(laptop.id(), primary.keys(), ApprovedDevices.none()));

        assertEquals(Reason.ROLLBACK, e.reason());
        assertEquals(withStolen, storedList(primary.number()), "no list signed");
        assertTrue(primary.client().devices().stream().anyMatch(d -> d.path("id").asText().equals(laptop.id())),
                "the laptop was not unlinked either");
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class,
                () -> primary.client().publishDeviceList(primary.keys(), ApprovedDevices.none().with(stolen.id()))).reason());
    }

    @Test
    void thePrimaryWithADeviceFolderRemembersAcrossRunsAndItsOwnViewRefusesTheReplayedKeys(@TempDir Path phone)
            throws Exception {
        String number = "+390646660003";
        DeviceFolder folder = new DeviceFolder(phone);
        DeviceCredentials credentials = gw.anonymous().enrollPrimary(number, gw.serve(number), "phone", folder.keys());
        folder.saveCredentials(gw.uri(), credentials);
        Device primary = new Device(folder.keys(), credentials, run(folder, credentials));
        Device stolen = gw.link(primary, "stolen");
        ListRow withStolen = storedList(number);
        run(folder, credentials).unlink(stolen.id(), folder.keys(), ApprovedDevices.none());
        assertEquals(2, folder.signedListStore().load(number).orElseThrow().version());

        replay(number, withStolen);
        relink(stolen.id());

        // A later run (a new process: nothing in memory) still refuses to sign on top of the replay...
        LinkRequest request = gw.anonymous().createLinkRequest("new laptop", DeviceKeys.generate());
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class,
                () -> run(folder, credentials).approveLink(request.qr(), folder.keys())).reason());
        // ... and its own view of its number (GET /v1/keys/{own number}, as its sends use) refuses the replayed list.
        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> run(folder, credentials).verifiedKeys(number, folder.trustStore()));
        assertEquals(Reason.ROLLBACK, e.reason());
        assertEquals(2, folder.trustStore().peer(number).orElseThrow().highestVersion());
    }

    /** A client as one run of the CLI makes it: the record lives in the folder only. */
    private static SwitchboardClient run(DeviceFolder folder, DeviceCredentials credentials) {
        return gw.anonymous().withCredentials(credentials).withKeys(folder.keys()).withSignedListStore(folder.signedListStore());
    }

    @Test
    void aCompanionRefusesAReplayedOlderListOfItsOwnNumber(@TempDir Path dir) throws Exception {
        Device primary = gw.primary("+390646660004");
        Device stolen = gw.link(primary, "stolen");
        ListRow withStolen = storedList(primary.number());
        SwitchboardClient fresh = gw.anonymous();
        LinkRequest second = fresh.createLinkRequest("laptop", DeviceKeys.generate());
        primary.client().approveLink(second.qr(), primary.keys());
        LinkedDevice laptop = fresh.awaitLink(second, WAIT);
        TrustStore trust = new TrustStore(dir.resolve("trust.json"));
        laptop.provisioning().trust(trust);
        SwitchboardClient laptopClient = fresh.withCredentials(laptop.credentials());
        assertEquals(2, laptopClient.verifiedKeys(primary.number(), trust).listVersion());

        replay(primary.number(), new ListRow(withStolen.version(), withStolen.issuedAt(), withStolen.devices(),
                withStolen.signature(), true));
        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> laptopClient.verifiedKeys(primary.number(), trust));

        assertEquals(Reason.ROLLBACK, e.reason(), "the replay comes through GET /v1/keys, not a direct call to the trust store");
        assertTrue(stolen.id().length() > 0);
    }

    @Test
    void aSecondListWithTheSameVersionIsRefusedByThePrimaryAndByACompanion(@TempDir Path dir) throws Exception {
        Device primary = gw.primary("+390646660005");
        SwitchboardClient laptopSide = gw.anonymous();
        LinkRequest laptopRequest = laptopSide.createLinkRequest("laptop", DeviceKeys.generate());
        primary.client().approveLink(laptopRequest.qr(), primary.keys());
        LinkedDevice laptop = laptopSide.awaitLink(laptopRequest, WAIT);
        Device stolen = gw.link(primary, "stolen");
        // An approval the companion never completes: the gateway keeps the list the primary signed for it (v3, with the
        // stolen device), while the primary unlinks the stolen device with another v3.
        LinkRequest abandoned = gw.anonymous().createLinkRequest("abandoned", DeviceKeys.generate());
        primary.client().approveLink(abandoned.qr(), primary.keys());
        ListRow abandonedList = pendingList(abandoned.linkId());
        assertEquals(3, abandonedList.version());
        primary.client().unlink(stolen.id(), primary.keys(), ApprovedDevices.none());
        assertEquals(3, storedList(primary.number()).version());
        TrustStore trust = new TrustStore(dir.resolve("trust.json"));
        laptop.provisioning().trust(trust);
        SwitchboardClient laptopClient = laptopSide.withCredentials(laptop.credentials());
        assertEquals(3, laptopClient.verifiedKeys(primary.number(), trust).listVersion());

        replay(primary.number(), abandonedList);
        relink(stolen.id());

        KeyVerificationException seen = assertThrows(KeyVerificationException.class,
                () -> laptopClient.verifiedKeys(primary.number(), trust));
        assertEquals(Reason.EQUIVOCATION, seen.reason());
        assertTrue(seen.getMessage().contains("version 3"), seen.getMessage());
        LinkRequest next = gw.anonymous().createLinkRequest("next", DeviceKeys.generate());
        KeyVerificationException signing = assertThrows(KeyVerificationException.class,
                () -> primary.client().approveLink(next.qr(), primary.keys()));
        assertEquals(Reason.EQUIVOCATION, signing.reason());
        assertEquals("pending", linkStatus(next));
    }

    @Test
    void theHistoryIsAskedForOnlyAfterTheQrCodeWasChecked() throws Exception {
        Device primary = gw.primary("+390646660006");
        LinkRequest request = gw.anonymous().createLinkRequest("laptop", DeviceKeys.generate());
        LinkQr seen = LinkQr.parse(request.qr());
        String otherIdentity = new LinkQr(seen.linkId(), seen.ephemeralKey(), DeviceKeys.generate().identityKeyB64(),
                seen.linkingSecret()).text();
        AtomicBoolean exported = new AtomicBoolean();

        assertThrows(LinkRefusedException.class, () -> primary.client().approveLinkWithHistory(otherIdentity, primary.keys(),
                ApprovedDevices.none(), () -> {
                    exported.set(true);
                    return null;
                }));

        assertFalse(exported.get(), "no history exported (nor uploaded) for a QR code the server's request does not match");
        primary.client().approveLinkWithHistory(request.qr(), primary.keys(), ApprovedDevices.none(), () -> {
            exported.set(true);
            return null;
        });
        assertTrue(exported.get());
    }
}
