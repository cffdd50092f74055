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
    void aNewAccountKeyIsReportedOnceRememberedAndItsVersionsCountedAfresh() {
        TrustStore trust = store();
        trust.accept(PEER, key, 6);

        assertTrue(trust.accept(PEER, newKey, 0), "a new primary, no list of its own yet");
        assertArrayEquals(newKey, trust.peer(PEER).orElseThrow().rawAccountKey().orElseThrow());
        assertEquals(0, trust.peer(PEER).orElseThrow().highestVersion());

        assertFalse(trust.accept(PEER, newKey, 7), "reported once");
        assertEquals(Reason.ROLLBACK, assertThrows(KeyVerificationException.class, () -> trust.accept(PEER, newKey, 6)).reason(),
                "rollback protection goes on under the new key");
        assertTrue(trust.accept(PEER, key, 6), "the old key coming back is a change again");
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
}
