package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which devices the account key vouches for, now and after a rotation left the list stale. */
class KeyDirectoryTest {

    private static final String A = "+390611111111";
    private static final DeviceCredentials SELF = new DeviceCredentials("+441611111112", "dev-b1", "tok");

    private final DeviceKeys phone = DeviceKeys.generate();
    private final DeviceKeys laptop = DeviceKeys.generate();

    @TempDir
    Path temp;
    private KeysServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new KeysServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private KeyDirectory directory(String file) {
        return new KeyDirectory(server.client(SELF), new TrustStore(temp.resolve("trust-" + file)), temp.resolve(file));
    }

    @Test
    void aNumberTheGatewayDoesNotServeHasNoKeys() {
        assertEquals(Optional.empty(), directory("seen.json").keys("+15550000000"));
    }

    @Test
    void keysAreKeptUntilRefreshed() {
        server.answer(A, new KeysAnswer(A).device("dev-a1", "primary", phone).withList(1, false));
        KeyDirectory directory = directory("seen.json");

        directory.keys(A);
        directory.keys(A);
        assertEquals(1, server.fetches.get());
        directory.refresh(A);
        assertEquals(2, server.fetches.get());
    }

    @Test
    void aRotatedKeyIsVouchedForOnlyByADirectoryThatSawItsIdentityListed() {
        KeysAnswer before = new KeysAnswer(A).device("dev-a1", "primary", phone).device("dev-a2", "companion", laptop);
        server.answer(A, before.withList(3, false));
        KeyDirectory remembering = directory("seen.json");
        remembering.keys(A);

        // The laptop rotates its encryption key: the gateway marks the list stale; the primary has not signed again.
        KeysAnswer after = new KeysAnswer(A).device("dev-a1", "primary", phone)
                .device("dev-a2", "companion", laptop.withNewEncryptionKey(), "2");
        server.answer(A, after.withList(3, true, phone, before.listed()));
        VerifiedKeys now = remembering.refresh(A).orElseThrow();
        VerifiedDevice rotated = now.device("dev-a2").orElseThrow();

        assertFalse(rotated.listed());
        assertTrue(remembering.vouchedFor(now, rotated), "its identity key was listed; the new key is signed by it");
        assertTrue(directory("seen.json").vouchedFor(now, rotated), "the memory survives in the file");
        KeyDirectory stranger = directory("other.json");
        assertFalse(stranger.vouchedFor(stranger.keys(A).orElseThrow(), rotated), "never saw the identity listed");
    }

    @Test
    void aDeviceTheListNeverCarriedIsNotVouchedFor() {
        DeviceKeys injected = DeviceKeys.generate();
        KeysAnswer answer = new KeysAnswer(A).device("dev-a1", "primary", phone).device("dev-a2", "companion", laptop);
        java.util.List<dev.switchboard.crypto.ListedDevice> listed = answer.listed();
        answer.device("dev-a3", "companion", injected);
        server.answer(A, answer.withList(3, true, phone, listed));
        KeyDirectory directory = directory("seen.json");

        VerifiedKeys keys = directory.keys(A).orElseThrow();

        assertTrue(directory.vouchedFor(keys, keys.device("dev-a2").orElseThrow()));
        assertFalse(directory.vouchedFor(keys, keys.device("dev-a3").orElseThrow()));
        assertTrue(directory.vouchedIdentityKey(A, "dev-a3").isEmpty());
    }

    @Test
    void theMemoryFileIsOwnerOnly() throws Exception {
        server.answer(A, new KeysAnswer(A).device("dev-a1", "primary", phone).withList(1, false));
        directory("seen.json").keys(A);

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(temp.resolve("seen.json")));
    }
}
