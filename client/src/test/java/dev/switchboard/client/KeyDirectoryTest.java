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
    void aRotatedKeyIsVouchedForWhenTheLatestSignedListCarriesItsIdentityKey() {
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
        assertTrue(remembering.vouchedFor(now, rotated), "its identity key is listed; the new key is signed by it");
        KeyDirectory stranger = directory("other.json");
        assertTrue(stranger.vouchedFor(stranger.keys(A).orElseThrow(), rotated),
                "the signed list it verified carries the identity key: no earlier memory needed");
        VerifiedDevice forged = new VerifiedDevice(new dev.switchboard.crypto.ListedDevice("dev-a2",
                DeviceKeys.generate().rawIdentityKey(), rotated.encryptionKey(), "companion"), "2", true, false);
        assertFalse(remembering.vouchedFor(now, forged), "another identity key under the listed id");
    }

    @Test
    void aDeviceALaterListDroppedIsNotVouchedForEvenWhenTheGatewayShowsItAgain() {
        KeysAnswer both = new KeysAnswer(A).device("dev-a1", "primary", phone).device("dev-a2", "companion", laptop);
        server.answer(A, both.withList(3, false));
        KeyDirectory directory = directory("seen.json");
        assertTrue(directory.vouchedFor(directory.keys(A).orElseThrow(), directory.keys(A).orElseThrow()
                .device("dev-a2").orElseThrow()));
        KeysAnswer phoneOnly = new KeysAnswer(A).device("dev-a1", "primary", phone);
        server.answer(A, phoneOnly.withList(4, false));
        directory.refresh(A);

        // The unlinked laptop shown again, version 4 called stale: the gateway cannot sign a list.
        server.answer(A, both.withList(4, true, phone, phoneOnly.listed()));
        VerifiedKeys shown = directory.refresh(A).orElseThrow();

        assertFalse(directory.vouchedFor(shown, shown.device("dev-a2").orElseThrow()));
        assertFalse(directory("seen.json").vouchedFor(shown, shown.device("dev-a2").orElseThrow()), "after a restart too");
        assertEquals(KeyDirectory.Standing.UNLINKED, directory.senderKey(A, "dev-a2", 3).orElseThrow().standing(),
                "its old messages are still checked, and marked");
    }

    @Test
    void aDeviceListedUnderAPreviousAccountKeyIsNotVouchedForUnderTheNewOne() {
        KeysAnswer old = new KeysAnswer(A).device("dev-a1", "primary", phone).device("dev-a2", "companion", laptop);
        server.answer(A, old.withList(3, false));
        KeyDirectory directory = directory("seen.json");
        directory.keys(A);
        DeviceKeys newPhone = DeviceKeys.generate();
        KeysAnswer now = new KeysAnswer(A).device("dev-a5", "primary", newPhone);
        java.util.List<dev.switchboard.crypto.ListedDevice> listed = now.listed();
        now.device("dev-a2", "companion", laptop);
        server.answer(A, now.withList(1, true, newPhone, listed));

        VerifiedKeys shown = directory.refresh(A).orElseThrow();

        assertFalse(directory.vouchedFor(shown, shown.device("dev-a2").orElseThrow()));
        assertEquals(KeyDirectory.Standing.PREVIOUS_ACCOUNT_KEY, directory.senderKey(A, "dev-a2", 1).orElseThrow().standing());
        assertEquals(KeyDirectory.Standing.LISTED, directory.senderKey(A, "dev-a5", 1).orElseThrow().standing());
    }

    @Test
    void theDeviceSetOfEveryVersionSeenIsKeptForCheckingTargets() {
        KeysAnswer both = new KeysAnswer(A).device("dev-a1", "primary", phone).device("dev-a2", "companion", laptop);
        server.answer(A, both.withList(3, false));
        KeyDirectory directory = directory("seen.json");
        directory.keys(A);
        server.answer(A, new KeysAnswer(A).device("dev-a1", "primary", phone).withList(4, false));
        directory.refresh(A);
        KeyDirectory restarted = directory("seen.json");

        assertEquals(Optional.of(true), restarted.listedAt(A, 3, "dev-a2"));
        assertEquals(Optional.of(false), restarted.listedAt(A, 4, "dev-a2"));
        assertEquals(Optional.empty(), restarted.listedAt(A, 2, "dev-a2"), "never seen: cannot tell");
        assertTrue(restarted.hadSignedList(A));
        assertFalse(restarted.hadSignedList("+15550000000"));
    }

    @Test
    void aMemoryFileOfTheEarlierFormatIsReadAsListedDevicesOfAnUnknownVersion() throws Exception {
        Files.writeString(temp.resolve("old.json"), "{\"numbers\": {\"" + A + "\": {\"accountKey\": \""
                + phone.identityKeyB64() + "\", \"devices\": {\"dev-a2\": \"" + laptop.identityKeyB64() + "\"}}}}");
        server.answer(A, new KeysAnswer(A).device("dev-a1", "primary", phone).withList(4, false));
        KeyDirectory directory = directory("old.json");

        assertTrue(directory.hadSignedList(A));
        KeyDirectory.SenderKey laptopKey = directory.senderKey(A, "dev-a2", 4).orElseThrow();
        assertEquals(KeyDirectory.Standing.UNLINKED, laptopKey.standing(), "not in version 4");
        assertTrue(java.util.Arrays.equals(laptop.rawIdentityKey(), laptopKey.identityKey()));
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
        assertTrue(directory.senderKey(A, "dev-a3", 3).isEmpty());
    }

    @Test
    void theMemoryFileIsOwnerOnly() throws Exception {
        server.answer(A, new KeysAnswer(A).device("dev-a1", "primary", phone).withList(1, false));
        directory("seen.json").keys(A);

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(temp.resolve("seen.json")));
    }
}
