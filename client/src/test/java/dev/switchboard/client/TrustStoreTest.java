package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.client.KeyVerificationException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {

    private static final String PEER = "+390622222222";
    private static final String OTHER = "+390633333333";

    @TempDir
    Path temp;

    private final byte[] key = DeviceKeys.generate().rawIdentityKey();
    private final byte[] newKey = DeviceKeys.generate().rawIdentityKey();

    private TrustStore store() {
        return new TrustStore(temp.resolve("device").resolve("trust.json"));
    }

    @Test
    void firstSightIsRememberedAndIsNoChange() {
        TrustStore trust = store();

        assertEquals(Optional.empty(), trust.peer(PEER));
        assertFalse(trust.accept(PEER, key, 1));

        TrustStore.Peer peer = trust.peer(PEER).orElseThrow();
        assertEquals(1, peer.highestVersion());
        assertArrayEquals(key, peer.rawAccountKey().orElseThrow());
        assertEquals(Optional.empty(), trust.peer(OTHER), "per number");
    }

    @Test
    void theVersionMayStayOrGoUpButNotDown() {
        TrustStore trust = store();
        trust.accept(PEER, key, 2);

        assertFalse(trust.accept(PEER, key, 2), "the same list again");
        assertFalse(trust.accept(PEER, key, 5));
        KeyVerificationException e = assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, key, 4));

        assertEquals(Reason.ROLLBACK, e.reason());
        assertEquals(PEER, e.number());
        assertTrue(e.getMessage().contains("version 4") && e.getMessage().contains("version 5"), e.getMessage());
        assertEquals(5, trust.peer(PEER).orElseThrow().highestVersion(), "a refused answer changes nothing");
    }

    @Test
    void noSignedListAfterOneWasSeenIsARollback() {
        TrustStore trust = store();
        trust.accept(PEER, key, 3);

        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, key, 0)).reason());
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, null, 0)).reason(),
                "nor can the gateway hide the account key to get rid of the list");
    }

    @Test
    void noListBeforeAnyWasSeenIsFine() {
        TrustStore trust = store();

        assertFalse(trust.accept(PEER, key, 0));
        assertFalse(trust.accept(PEER, key, 0));
        assertFalse(trust.accept(PEER, key, 1));
    }

    @Test
    void aNewAccountKeyIsReportedUntilAcknowledgedRememberedAndItsVersionsCountedAfresh() {
        TrustStore trust = store();
        trust.accept(PEER, key, 6);

        assertTrue(trust.accept(PEER, newKey, 0), "a new primary, no list of its own yet");
        assertArrayEquals(newKey, trust.peer(PEER).orElseThrow().rawAccountKey().orElseThrow());
        assertEquals(0, trust.peer(PEER).orElseThrow().highestVersion());
        assertTrue(trust.peer(PEER).orElseThrow().changeUnacknowledged());

        assertTrue(trust.accept(PEER, newKey, 7), "reported again: not acknowledged yet");
        assertTrue(store().accept(PEER, newKey, 7), "and after a restart");
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, newKey, 6)).reason(),
                "rollback protection goes on under the new key");

        assertTrue(trust.acknowledge(PEER));
        assertFalse(trust.accept(PEER, newKey, 7), "acknowledged");
        assertFalse(trust.peer(PEER).orElseThrow().changeUnacknowledged());
        assertFalse(trust.acknowledge(PEER), "nothing left to acknowledge");

        assertTrue(trust.accept(PEER, key, 6), "the old key coming back is a change again");
        assertTrue(trust.accept(PEER, key, 6), "until acknowledged");
    }

    @Test
    void acknowledgingAnUnknownOrUnchangedNumberDoesNothing() {
        TrustStore trust = store();
        assertFalse(trust.acknowledge(PEER));
        assertFalse(Files.exists(trust.file()), "nothing written");

        trust.accept(PEER, key, 1);
        assertFalse(trust.acknowledge(PEER));
        assertFalse(trust.accept(PEER, key, 1));
    }

    @Test
    void switchingKeysBackAndForthDoesNotResetAKeysHighestVersion() {
        TrustStore trust = store();
        trust.accept(PEER, key, 5);
        assertTrue(trust.accept(PEER, newKey, 1), "K' at v1");

        KeyVerificationException e = assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, key, 3));

        assertEquals(Reason.ROLLBACK, e.reason(), "K was at v5 before");
        assertTrue(e.getMessage().contains("version 3") && e.getMessage().contains("version 5"), e.getMessage());
        assertArrayEquals(newKey, trust.peer(PEER).orElseThrow().rawAccountKey().orElseThrow(), "a refused answer changes nothing");
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> store().accept(PEER, key, 0)).reason(),
                "nor a K without a list, after a restart");
        assertTrue(trust.accept(PEER, key, 5), "K at v5 or later is fine");
        assertEquals(5, trust.peer(PEER).orElseThrow().highestVersion());
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, newKey, 0)).reason(),
                "and K' keeps its own highest version");
        assertTrue(trust.accept(PEER, newKey, 1));
    }

    @Test
    void anEntryWrittenBeforePerKeyVersionsCountsItsOneKey() throws Exception {
        Files.createDirectories(temp.resolve("device"));
        Files.writeString(store().file(), "{\"numbers\": {\"" + PEER + "\": {\"highestVersion\": 4, \"accountKey\": \""
                + Base64Url.encode(key) + "\"}}}");
        TrustStore trust = store();

        assertEquals(new TrustStore.Peer(4, Base64Url.encode(key), false), trust.peer(PEER).orElseThrow());
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, key, 3)).reason());
        assertTrue(trust.accept(PEER, newKey, 1));
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, key, 3)).reason(),
                "the old key's version carried over into the map");
    }

    @Test
    void aNumberThatLostItsPrimaryKeepsTheLastAccountKey() {
        TrustStore trust = store();
        trust.accept(PEER, key, 0);

        assertFalse(trust.accept(PEER, null, 0));

        assertArrayEquals(key, trust.peer(PEER).orElseThrow().rawAccountKey().orElseThrow());
        assertFalse(trust.accept(PEER, key, 0), "the same key back is no change");
    }

    @Test
    void survivesARestart() {
        store().accept(PEER, key, 4);
        store().accept(OTHER, newKey, 1);

        TrustStore reopened = store();

        assertEquals(4, reopened.peer(PEER).orElseThrow().highestVersion());
        assertArrayEquals(newKey, reopened.peer(OTHER).orElseThrow().rawAccountKey().orElseThrow());
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> reopened.accept(PEER, key, 3)).reason());
        assertTrue(reopened.accept(PEER, newKey, 1));
    }

    @Test
    void putOverwritesWhatIsRemembered() {
        TrustStore trust = store();
        trust.accept(PEER, key, 9);

        trust.put(PEER, 2, newKey);

        assertEquals(new TrustStore.Peer(2, Base64Url.encode(newKey)), trust.peer(PEER).orElseThrow());
    }

    @Test
    void putAcknowledgesAChangeButKeepsOtherKeysVersions() {
        TrustStore trust = store();
        trust.accept(PEER, key, 9);
        assertTrue(trust.accept(PEER, newKey, 1));

        trust.put(PEER, 3, newKey);

        assertEquals(new TrustStore.Peer(3, Base64Url.encode(newKey), false), trust.peer(PEER).orElseThrow());
        assertFalse(trust.accept(PEER, newKey, 3));
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, key, 8)).reason());
    }

    @Test
    void theFileIsOwnerOnly() throws Exception {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        TrustStore trust = store();
        trust.accept(PEER, key, 1);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trust.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trust.file().getParent())));
    }

    @Test
    void aFileThatIsNotATrustStoreFailsClearly() throws Exception {
        Files.createDirectories(temp.resolve("device"));
        Files.writeString(temp.resolve("device").resolve("trust.json"), "[1, 2]");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store().peer(PEER));

        assertTrue(e.getMessage().contains("trust.json"), e.getMessage());
    }

    private static byte[] digest(String list) {
        return KeyVerifier.sha256(list.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void twoDifferentListsWithOneVersionAreAnAttackNotANewerList() {
        TrustStore trust = store();
        assertFalse(trust.accept(PEER, key, 3, digest("v3 as the primary signed it")));
        assertFalse(trust.accept(PEER, key, 3, digest("v3 as the primary signed it")), "the same list again");

        // The gateway shows this device another list under the same version (and account key).
        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> new TrustStore(trust.file()).accept(PEER, key, 3, digest("v3 with a device slipped in")));

        assertEquals(Reason.EQUIVOCATION, e.reason());
        assertEquals(PEER, e.number());
        assertTrue(e.getMessage().contains("version 3") && e.getMessage().contains("different lists"), e.getMessage());
        assertFalse(trust.accept(PEER, key, 3, digest("v3 as the primary signed it")), "the refused one was not remembered");
        assertFalse(trust.accept(PEER, key, 3), "a caller that knows no digest is not refused");
        assertFalse(trust.accept(PEER, key, 4, digest("v4")));
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class,
                () -> trust.accept(PEER, key, 3, digest("v3 with a device slipped in"))).reason());
    }

    @Test
    void digestsArePerAccountKeyAndSurviveAcknowledgeAndPut() {
        TrustStore trust = store();
        trust.accept(PEER, key, 2, digest("K v2"));
        assertTrue(trust.accept(PEER, newKey, 2, digest("K' v2")), "another key may have its own version 2");
        assertTrue(trust.acknowledge(PEER));
        trust.put(PEER, 2, newKey);

        assertEquals(Reason.EQUIVOCATION, assertThrows(KeyVerificationException.class,
                () -> trust.accept(PEER, newKey, 2, digest("another K' v2"))).reason());
        assertEquals(Reason.EQUIVOCATION, assertThrows(KeyVerificationException.class,
                () -> trust.accept(PEER, key, 2, digest("another K v2"))).reason());
    }

    @Test
    void onlyTheLastDigestsAreKept() throws Exception {
        TrustStore trust = store();
        for (int v = 1; v <= TrustStore.KEPT_DIGESTS + 5; v++) {
            trust.accept(PEER, key, v, digest("v" + v));
        }
        String json = Files.readString(trust.file());
        assertFalse(json.contains("\"5\""), json);
        assertTrue(json.contains("\"" + (TrustStore.KEPT_DIGESTS + 5) + "\""), json);
    }
}
