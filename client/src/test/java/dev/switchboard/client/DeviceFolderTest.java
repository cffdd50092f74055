package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceFolderTest {

    private static final URI SERVER = URI.create("http://gateway.example:8080");

    @TempDir
    Path temp;

    @Test
    void emptyFolderHasNoCredentialsAndCursorZero() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));

        assertEquals(Optional.empty(), folder.credentials());
        assertEquals(Optional.empty(), folder.server());
        assertEquals(0, folder.cursorStore().load());
    }

    @Test
    void keysAreGeneratedOnceAndReloadedByANewInstance() {
        Path dir = temp.resolve("device");
        DeviceKeys generated = new DeviceFolder(dir).keys();

        DeviceKeys reloaded = new DeviceFolder(dir).keys();

        assertEquals(generated.identityKeyB64(), reloaded.identityKeyB64());
        assertEquals(generated.encryptionKeyB64(), reloaded.encryptionKeyB64());
        assertArrayEquals(generated.identity().getPrivate().getEncoded(), reloaded.identity().getPrivate().getEncoded());
        assertArrayEquals(generated.encryption().getPrivate().getEncoded(), reloaded.encryption().getPrivate().getEncoded());
    }

    @Test
    void reloadedIdentityKeyStillSigns() throws Exception {
        Path dir = temp.resolve("device");
        DeviceKeys generated = new DeviceFolder(dir).keys();
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);

        byte[] signature = new DeviceFolder(dir).keys().sign(data);

        java.security.Signature verifier = java.security.Signature.getInstance("Ed25519");
        verifier.initVerify(generated.identity().getPublic());
        verifier.update(data);
        assertTrue(verifier.verify(signature));
    }

    @Test
    void credentialsAndServerPersistAcrossInstances() {
        Path dir = temp.resolve("device");
        DeviceCredentials credentials = new DeviceCredentials("+390612345678", "dev-1", "secret-token");
        new DeviceFolder(dir).saveCredentials(SERVER, credentials);

        DeviceFolder reopened = new DeviceFolder(dir);

        assertEquals(Optional.of(credentials), reopened.credentials());
        assertEquals(Optional.of(SERVER), reopened.server());
    }

    @Test
    void savingCredentialsKeepsTheKeys() {
        Path dir = temp.resolve("device");
        DeviceKeys keys = new DeviceFolder(dir).keys();

        new DeviceFolder(dir).saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t"));

        assertEquals(keys.identityKeyB64(), new DeviceFolder(dir).keys().identityKeyB64());
    }

    @Test
    void cursorPersistsAcrossInstances() {
        Path dir = temp.resolve("device");
        new DeviceFolder(dir).cursorStore().save(1234);

        assertEquals(1234, new DeviceFolder(dir).cursorStore().load());
    }

    @Test
    void newDeviceStartsItsCursorOverButTheSameDeviceKeepsIt() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        folder.cursorStore().save(50);

        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        assertEquals(50, folder.cursorStore().load());

        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-2", "t2"));
        assertEquals(0, folder.cursorStore().load());
    }

    @Test
    void clearCredentialsForgetsTheTokenButKeepsTheKeys() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys keys = folder.keys();
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));

        folder.clearCredentials();

        assertEquals(Optional.empty(), new DeviceFolder(folder.dir()).credentials());
        assertEquals(keys.identityKeyB64(), new DeviceFolder(folder.dir()).keys().identityKeyB64());
    }

    @Test
    void stateIsOwnerOnlyWhereThereArePosixPermissions() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path dir = temp.resolve("device");
        DeviceFolder folder = new DeviceFolder(dir);
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        folder.cursorStore().save(3);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state.json"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cursor"))));
    }

    @Test
    void privateKeysAreOwnerOnlyFromTheFirstWrite() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path dir = temp.resolve("device");

        new DeviceFolder(dir).keys();

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state.json"))));
    }

    @Test
    void aStateFileReadableByOthersIsMadeOwnerOnlyWhenItsKeysAreRead() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path dir = temp.resolve("device");
        new DeviceFolder(dir).keys();
        Path state = dir.resolve("state.json");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r--r--")); // e.g. restored from a backup

        new DeviceFolder(dir).keys();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }

    @Test
    void aStateFileReadableByOthersIsMadeOwnerOnlyWhenItsCredentialsAreRead() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path dir = temp.resolve("device");
        new DeviceFolder(dir).saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        Path state = dir.resolve("state.json");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r--r--"));

        assertTrue(new DeviceFolder(dir).credentials().isPresent());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }

    @Test
    void keysMissingInPartAreRefusedNotRegenerated() throws Exception {
        for (String field : new String[] {"identityPrivate", "encryptionPrivate", "identityPublic", "encryptionPublic"}) {
            Path dir = temp.resolve("device-without-" + field);
            new DeviceFolder(dir).keys();
            Path state = dir.resolve("state.json");
            var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(state.toFile());
            json.remove(field);
            Files.writeString(state, json.toString());
            String before = Files.readString(state);

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DeviceFolder(dir).keys(), field);

            assertTrue(e.getMessage().contains(field) && e.getMessage().contains("state.json"), e.getMessage());
            assertEquals(before, Files.readString(state), "nothing regenerated or written without " + field);
            json.putNull(field);
            Files.writeString(state, json.toString());
            assertThrows(IllegalStateException.class, () -> new DeviceFolder(dir).keys(), field + ": null");
        }
    }

    @Test
    void keysAreGeneratedForAFolderWithCredentialsButNoKeysYet() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));

        DeviceKeys keys = folder.keys();

        assertEquals(keys.identityKeyB64(), new DeviceFolder(folder.dir()).keys().identityKeyB64());
    }

    // --- pending encryption keys --------------------------------------------------------------

    @Test
    void aPendingKeyIsSavedButNotCurrentAndCanOpenMessagesSealedToIt() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys first = folder.keys();
        DeviceKeys rotated = first.withNewEncryptionKey();

        folder.savePendingEncryptionKey(rotated, "2");

        DeviceFolder reopened = new DeviceFolder(folder.dir());
        assertEquals("1", reopened.encryptionKeyId());
        assertEquals(first.encryptionKeyB64(), reopened.keys().encryptionKeyB64());
        DeviceFolder.PendingEncryptionKey pending = reopened.pendingEncryptionKey().orElseThrow();
        assertEquals("2", pending.keyId());
        assertEquals(rotated.encryptionKeyB64(), pending.keys().encryptionKeyB64());
        assertEquals(first.identityKeyB64(), pending.keys().identityKeyB64());
        assertArrayEquals(rotated.encryption().getPrivate().getEncoded(),
                reopened.encryptionKey("2").orElseThrow().getPrivate().getEncoded());
    }

    @Test
    void aPromotedPendingKeyBecomesCurrentAndTheOldOneIsKept() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys first = folder.keys();
        DeviceKeys rotated = first.withNewEncryptionKey();
        folder.savePendingEncryptionKey(rotated, "2");

        folder.promotePendingEncryptionKey("2");

        DeviceFolder reopened = new DeviceFolder(folder.dir());
        assertEquals("2", reopened.encryptionKeyId());
        assertEquals(rotated.encryptionKeyB64(), reopened.keys().encryptionKeyB64());
        assertEquals(Optional.empty(), reopened.pendingEncryptionKey());
        assertEquals(first.encryptionKeyB64(), DeviceKeys.rawPublicKeyB64(reopened.encryptionKey("1").orElseThrow().getPublic()));
        assertThrows(IllegalStateException.class, () -> reopened.promotePendingEncryptionKey("3"), "nothing pending");
    }

    @Test
    void aPendingKeyIsPromotedOnlyWhenTheGatewayShowsIt() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys first = folder.keys();
        DeviceKeys rotated = first.withNewEncryptionKey();
        folder.savePendingEncryptionKey(rotated, "2");

        assertFalse(folder.reconcilePendingEncryptionKey("1", first.rawEncryptionKey()), "the gateway has the old key");
        assertTrue(folder.pendingEncryptionKey().isPresent(), "still pending");
        assertEquals("1", folder.encryptionKeyId());

        assertTrue(new DeviceFolder(folder.dir()).reconcilePendingEncryptionKey("2", rotated.rawEncryptionKey()),
                "after a restart, the gateway shows the pending key");
        assertEquals("2", folder.encryptionKeyId());
        assertEquals(rotated.encryptionKeyB64(), folder.keys().encryptionKeyB64());
        assertEquals(Optional.empty(), folder.pendingEncryptionKey());
        assertFalse(folder.reconcilePendingEncryptionKey("2", rotated.rawEncryptionKey()), "nothing pending any more");
    }

    @Test
    void aPendingKeyMustKeepTheIdentityAndChangeTheIdAndIsDroppedByANewDevice() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        DeviceKeys keys = folder.keys();

        assertThrows(IllegalArgumentException.class, () -> folder.savePendingEncryptionKey(DeviceKeys.generate(), "2"));
        assertThrows(IllegalArgumentException.class, () -> folder.savePendingEncryptionKey(keys.withNewEncryptionKey(), "1"));
        assertEquals(Optional.empty(), folder.pendingEncryptionKey());

        folder.savePendingEncryptionKey(keys.withNewEncryptionKey(), "2");
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-2", "t2"));

        assertEquals(Optional.empty(), folder.pendingEncryptionKey());
    }

    @Test
    void savingARotatedKeyDropsAPendingOne() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys rotated = folder.keys().withNewEncryptionKey();
        folder.savePendingEncryptionKey(rotated, "2");

        folder.saveRotatedEncryptionKey(rotated, "2");

        assertEquals(Optional.empty(), folder.pendingEncryptionKey());
        assertEquals("2", folder.encryptionKeyId());
    }

    @Test
    void theTrustStoreLivesInTheFolderOwnerOnly() throws Exception {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        byte[] key = DeviceKeys.generate().rawIdentityKey();

        folder.trustStore().accept("+390622222222", key, 2);

        assertEquals(folder.dir().resolve("trust.json"), folder.trustStore().file());
        assertEquals(2, new DeviceFolder(folder.dir()).trustStore().peer("+390622222222").orElseThrow().highestVersion());
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.trustStore().file())));
        }
    }

    @Test
    void aRotatedEncryptionKeyBecomesCurrentAndTheOldOneIsKeptByItsId() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys first = folder.keys();
        assertEquals("1", folder.encryptionKeyId());
        DeviceKeys rotated = first.withNewEncryptionKey();

        folder.saveRotatedEncryptionKey(rotated, "2");

        DeviceFolder reopened = new DeviceFolder(folder.dir());
        assertEquals("2", reopened.encryptionKeyId());
        assertEquals(rotated.encryptionKeyB64(), reopened.keys().encryptionKeyB64());
        assertEquals(first.identityKeyB64(), reopened.keys().identityKeyB64());
        assertEquals(first.encryptionKeyB64(),
                DeviceKeys.rawPublicKeyB64(reopened.encryptionKey("1").orElseThrow().getPublic()));
        assertArrayEquals(first.encryption().getPrivate().getEncoded(),
                reopened.encryptionKey("1").orElseThrow().getPrivate().getEncoded());
        assertEquals(rotated.encryptionKeyB64(), DeviceKeys.rawPublicKeyB64(reopened.encryptionKey("2").orElseThrow().getPublic()));
        assertEquals(Optional.empty(), reopened.encryptionKey("3"));
    }

    @Test
    void onlyTheLastFewRotatedKeysAreKept() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys keys = folder.keys();
        int rotations = DeviceFolder.KEPT_PREVIOUS_ENCRYPTION_KEYS + 2;
        for (int id = 2; id <= rotations + 1; id++) {
            keys = keys.withNewEncryptionKey();
            folder.saveRotatedEncryptionKey(keys, Integer.toString(id));
        }

        assertEquals(Optional.empty(), folder.encryptionKey("1"));
        assertEquals(Optional.empty(), folder.encryptionKey("2"));
        for (int id = 3; id <= rotations + 1; id++) {
            assertTrue(folder.encryptionKey(Integer.toString(id)).isPresent(), "key " + id);
        }
    }

    @Test
    void aRotationMustKeepTheIdentityAndChangeTheId() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys keys = folder.keys();

        assertThrows(IllegalArgumentException.class, () -> folder.saveRotatedEncryptionKey(DeviceKeys.generate(), "2"));
        assertThrows(IllegalArgumentException.class, () -> folder.saveRotatedEncryptionKey(keys.withNewEncryptionKey(), "1"));
        assertEquals(keys.encryptionKeyB64(), folder.keys().encryptionKeyB64());
    }

    @Test
    void aNewDeviceRegistersItsCurrentKeyAsTheFirst() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        folder.saveRotatedEncryptionKey(folder.keys().withNewEncryptionKey(), "2");

        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        assertEquals("2", folder.encryptionKeyId(), "the same device keeps its key id");

        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-2", "t2"));
        assertEquals("1", folder.encryptionKeyId(), "a new enrolment or link registers the key as " + DeviceKeys.FIRST_ENCRYPTION_KEY_ID);
        assertEquals(Optional.empty(), folder.encryptionKey("2"), "keys of the old device's rotations are gone");
        assertEquals(folder.keys().encryptionKeyB64(), DeviceKeys.rawPublicKeyB64(folder.encryptionKey("1").orElseThrow().getPublic()));
    }

    @Test
    void writesLeaveNoTemporaryFilesBehind() throws Exception {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.keys();
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        for (int seq = 1; seq <= 5; seq++) {
            folder.cursorStore().save(seq);
        }

        try (Stream<Path> files = Files.list(folder.dir())) {
            assertEquals(java.util.Set.of("state.json", "cursor"),
                    files.map(path -> path.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void stateJsonHasTheDocumentedFields() throws Exception {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.keys();
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));

        var state = Json.MAPPER.readTree(folder.dir().resolve("state.json").toFile());

        for (String field : new String[] {"server", "number", "deviceId", "token", "identityPrivate", "identityPublic",
                "encryptionPrivate", "encryptionPublic"}) {
            assertTrue(state.hasNonNull(field), field);
        }
    }

    // --- approved companions -----------------------------------------------------------------

    @Test
    void approvalsPersistAcrossInstancesWithTheirIdentityKeys() {
        Path dir = temp.resolve("device");
        DeviceFolder folder = new DeviceFolder(dir);
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        assertTrue(folder.approvedDevices().isEmpty(), "none before the first approval");
        byte[] tabletKey = DeviceKeys.generate().rawIdentityKey();

        folder.recordApproved("dev-laptop");
        folder.recordApproved("dev-tablet", tabletKey);

        ApprovedDevices reloaded = new DeviceFolder(dir).approvedDevices();
        assertEquals(java.util.List.of("dev-laptop", "dev-tablet"), java.util.List.copyOf(reloaded.deviceIds()));
        assertTrue(reloaded.approval("dev-laptop").orElseThrow().identityKey().isEmpty());
        assertArrayEquals(tabletKey, reloaded.approval("dev-tablet").orElseThrow().identityKey().orElseThrow());
    }

    @Test
    void forgettingAnApprovalRemovesOnlyThatDevice() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        folder.recordApproved("dev-laptop");
        folder.recordApproved("dev-tablet");

        folder.forgetApproved("dev-laptop");
        folder.forgetApproved("dev-never-approved");

        assertEquals(java.util.Set.of("dev-tablet"), new DeviceFolder(folder.dir()).approvedDevices().deviceIds());
    }

    @Test
    void approvalsBelongToTheDeviceThatMadeThem() {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        assertThrows(IllegalStateException.class, () -> folder.recordApproved("dev-laptop"), "no device to approve");
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        folder.recordApproved("dev-laptop");

        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-2", "t2"));

        assertTrue(folder.approvedDevices().isEmpty(), "a new enrolment starts with no approvals");
        folder.clearCredentials();
        assertTrue(folder.approvedDevices().isEmpty());
    }

    @Test
    void approvalsAreOwnerOnlyWhereThereArePosixPermissions() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));

        folder.recordApproved("dev-laptop");

        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(folder.dir().resolve("approved.json"))));
    }

    @Test
    void anUnreadableApprovalsFileIsAnError() throws Exception {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.saveCredentials(SERVER, new DeviceCredentials("+390612345678", "dev-1", "t1"));
        Files.writeString(folder.dir().resolve("approved.json"), "{\"approver\":\"dev-1\",\"approved\":{}}");

        assertThrows(IllegalStateException.class, folder::approvedDevices);
    }

    @Test
    void theRecordOfTheLastSignedListIsKeptOwnerOnlyAndTellsTheTrustStore() throws Exception {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        DeviceKeys keys = folder.keys();
        String number = "+390611111111";
        KeysAnswer shown = new KeysAnswer(number).device("dev-a", "primary", keys);
        SignedListRecord record = SignedListRecord.of(number, keys.rawIdentityKey(), shown.withList(4, false).get("deviceList"));
        assertEquals(Optional.empty(), folder.signedListStore().load(number));

        folder.signedListStore().save(record);

        SignedListRecord back = new DeviceFolder(temp.resolve("device")).signedListStore().load(number).orElseThrow();
        assertEquals(record.version(), back.version());
        assertEquals(record.sha256(), back.sha256());
        assertEquals(record.devices(), back.devices());
        assertEquals(Optional.empty(), folder.signedListStore().load("+390622222222"));
        assertEquals(4, folder.trustStore().peer(number).orElseThrow().highestVersion(), "its own number's view knows it too");
        assertThrows(KeyVerificationException.class, () -> folder.trustStore().accept(number, keys.rawIdentityKey(), 3));
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(temp.resolve("device").resolve("signed-list.json"))));
        }
    }

    @Test
    void aDamagedRecordOfSignedListsFailsInsteadOfStartingOver() throws Exception {
        DeviceFolder folder = new DeviceFolder(temp.resolve("device"));
        folder.keys();
        Files.writeString(temp.resolve("device").resolve("signed-list.json"), "{\"lists\": {\"+390611111111\": {\"version\": 2}}}");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> folder.signedListStore().load("+390611111111"));

        assertTrue(e.getMessage().contains("signed-list.json"), e.getMessage());
    }
}
