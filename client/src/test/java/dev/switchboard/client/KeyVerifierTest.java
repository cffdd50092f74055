package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.KeyVerificationException.Reason;
import dev.switchboard.crypto.ListedDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link KeyVerifier} accepts and refuses in an answer of {@code GET /v1/keys/{number}}, honest or tampered. */
class KeyVerifierTest {

    private static final String NUMBER = "+390611111111";

    private final DeviceKeys primary = DeviceKeys.generate();
    private final DeviceKeys laptop = DeviceKeys.generate();
    private final KeysAnswer answer = new KeysAnswer(NUMBER)
            .device("dev-a", "primary", primary)
            .device("dev-b", "companion", laptop);

    @Test
    void currentSignedListVerifiesAndListsEveryDevice() {
        VerifiedKeys keys = KeyVerifier.verify(NUMBER, answer.withList(3, false));

        assertEquals(NUMBER, keys.number());
        assertArrayEquals(primary.rawIdentityKey(), keys.accountKey());
        assertEquals(3, keys.listVersion());
        assertFalse(keys.stale());
        assertFalse(keys.accountKeyChanged());
        assertTrue(keys.allDevicesListed());
        assertEquals(List.of("dev-a", "dev-b"), keys.devices().stream().map(VerifiedDevice::deviceId).toList());
        VerifiedDevice b = keys.device("dev-b").orElseThrow();
        assertEquals("companion", b.kind());
        assertEquals("1", b.encryptionKeyId());
        assertTrue(b.encryptionKeySigned());
        assertTrue(b.listed());
        assertArrayEquals(laptop.rawEncryptionKey(), b.encryptionKey());
        assertEquals(laptop.identityKeyB64(), b.identityKeyB64());
    }

    @Test
    void noListYetIsVersion0WithNoDeviceListed() {
        VerifiedKeys keys = KeyVerifier.verify(NUMBER, answer.withoutList());

        assertEquals(0, keys.listVersion());
        assertFalse(keys.hasSignedList());
        assertFalse(keys.stale());
        assertFalse(keys.allDevicesListed());
        assertTrue(keys.devices().stream().noneMatch(VerifiedDevice::listed));
        assertTrue(keys.devices().stream().allMatch(VerifiedDevice::encryptionKeySigned));
    }

    @Test
    void anEncryptionKeyNotSignedByItsIdentityKeyIsRefused() {
        ObjectNode tampered = answer.withList(1, false);
        // The laptop's signature, shown for the primary: valid bytes, wrong signer.
        ((ObjectNode) tampered.get("devices").get(0)).put("encryptionKeySignature", laptop.encryptionKeySignatureB64());

        KeyVerificationException e = assertThrows(KeyVerificationException.class, () -> KeyVerifier.verify(NUMBER, tampered));

        assertEquals(Reason.BAD_SIGNATURE, e.reason());
        assertEquals(NUMBER, e.number());
        assertTrue(e.getMessage().contains("dev-a"), e.getMessage());
    }

    @Test
    void aSwappedEncryptionKeyIsRefused() {
        ObjectNode tampered = answer.withoutList();
        ((ObjectNode) tampered.get("devices").get(1)).put("encryptionKey", DeviceKeys.generate().encryptionKeyB64());

        assertEquals(Reason.BAD_SIGNATURE,
                assertThrows(KeyVerificationException.class, () -> KeyVerifier.verify(NUMBER, tampered)).reason());
    }

    @Test
    void aDeviceEnrolledBeforeSignaturesIsShownAsUnsigned() {
        ObjectNode legacy = answer.withList(2, false);
        ((ObjectNode) legacy.get("devices").get(1)).putNull("encryptionKeySignature");

        VerifiedDevice b = KeyVerifier.verify(NUMBER, legacy).device("dev-b").orElseThrow();

        assertFalse(b.encryptionKeySigned());
        assertTrue(b.listed(), "the signed list still vouches for it");
    }

    @Test
    void aListNotSignedByTheAccountKeyIsRefused() {
        ObjectNode forged = answer.withList(5, false, DeviceKeys.generate(), answer.listed());

        KeyVerificationException e = assertThrows(KeyVerificationException.class, () -> KeyVerifier.verify(NUMBER, forged));

        assertEquals(Reason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void aListWhoseFieldsWereChangedAfterSigningIsRefused() {
        ObjectNode bumped = answer.withList(5, false);
        ((ObjectNode) bumped.get("deviceList")).put("version", 6);

        assertEquals(Reason.BAD_SIGNATURE,
                assertThrows(KeyVerificationException.class, () -> KeyVerifier.verify(NUMBER, bumped)).reason());
    }

    @Test
    void aCurrentListThatDoesNotMatchTheDevicesIsRefused() {
        // Signed honestly, but without the laptop, and the gateway claims it is current.
        ObjectNode withoutLaptop = answer.withList(2, false, primary, List.of(answer.primary().listed()));

        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> KeyVerifier.verify(NUMBER, withoutLaptop));

        assertEquals(Reason.MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("dev-b"), e.getMessage());
    }

    @Test
    void aCurrentListWithAnExtraDeviceIsRefused() {
        List<ListedDevice> listed = new ArrayList<>(answer.listed());
        listed.add(new ListedDevice("dev-ghost", DeviceKeys.generate().rawIdentityKey(),
                DeviceKeys.generate().rawEncryptionKey(), "companion"));

        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> KeyVerifier.verify(NUMBER, answer.withList(2, false, primary, listed)));

        assertEquals(Reason.MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("dev-ghost"), e.getMessage());
    }

    @Test
    void aStaleListVouchesOnlyForTheDevicesItListsUnchanged() {
        List<ListedDevice> before = answer.listed();
        answer.device("dev-b", "companion", laptop.withNewEncryptionKey());
        answer.device("dev-c", "companion", DeviceKeys.generate());

        VerifiedKeys keys = KeyVerifier.verify(NUMBER, answer.withList(4, true, primary, before));

        assertEquals(4, keys.listVersion());
        assertTrue(keys.stale());
        assertFalse(keys.allDevicesListed());
        assertTrue(keys.device("dev-a").orElseThrow().listed());
        assertFalse(keys.device("dev-b").orElseThrow().listed(), "rotated since the list was signed");
        assertFalse(keys.device("dev-c").orElseThrow().listed(), "linked since the list was signed");
    }

    @Test
    void aStaleListOfAPreviousPrimaryIsIgnoredNotTrusted() {
        DeviceKeys oldPrimary = DeviceKeys.generate();
        List<ListedDevice> oldList = List.of(new ListedDevice("dev-old", oldPrimary.rawIdentityKey(),
                oldPrimary.rawEncryptionKey(), "primary"));

        VerifiedKeys keys = KeyVerifier.verify(NUMBER, answer.withList(7, true, oldPrimary, oldList));

        assertEquals(0, keys.listVersion(), "nothing the current account key signed");
        assertTrue(keys.stale());
        assertTrue(keys.devices().stream().noneMatch(VerifiedDevice::listed));
    }

    @Test
    void anAccountKeyThatIsNotThePrimarysIdentityKeyIsRefused() {
        ObjectNode swapped = answer.withoutList();
        swapped.put("accountKey", laptop.identityKeyB64());

        assertEquals(Reason.MISMATCH,
                assertThrows(KeyVerificationException.class, () -> KeyVerifier.verify(NUMBER, swapped)).reason());
    }

    @Test
    void aNumberWithoutPrimaryHasNoAccountKeyAndItsCurrentListCannotBeChecked() {
        KeysAnswer companionsOnly = new KeysAnswer(NUMBER).device("dev-a", "primary", primary).device("dev-b", "companion", laptop);
        ObjectNode orphan = companionsOnly.withoutList();
        orphan.putNull("accountKey");
        orphan.withArray("devices").remove(0);

        VerifiedKeys keys = KeyVerifier.verify(NUMBER, orphan);
        assertNull(keys.accountKey());
        assertTrue(keys.accountKeyIfAny().isEmpty());

        orphan.set("deviceList", KeysAnswer.signedList(NUMBER, 1, false, primary, companionsOnly.listed()));
        assertEquals(Reason.BAD_SIGNATURE,
                assertThrows(KeyVerificationException.class, () -> KeyVerifier.verify(NUMBER, orphan)).reason());
    }

    @Test
    void theKeysOfAnotherNumberAreRefused() {
        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> KeyVerifier.verify("+390622222222", answer.withList(1, false)));

        assertEquals(Reason.MISMATCH, e.reason());
    }

    @Test
    void malformedKeysAndSignaturesAreRefused() {
        ObjectNode shortKey = answer.withoutList();
        ((ObjectNode) shortKey.get("devices").get(0)).put("identityKey", "AAAA");
        ObjectNode notBase64 = answer.withoutList();
        ((ObjectNode) notBase64.get("devices").get(1)).put("encryptionKeySignature", "not base64url!");
        ObjectNode twice = answer.withoutList();
        twice.withArray("devices").add(twice.get("devices").get(1).deepCopy());
        ObjectNode noDevices = answer.withoutList();
        noDevices.remove("devices");

        for (ObjectNode bad : List.of(shortKey, notBase64, twice, noDevices)) {
            assertEquals(Reason.MALFORMED,
                    assertThrows(KeyVerificationException.class, () -> KeyVerifier.verify(NUMBER, bad), bad::toString).reason());
        }
    }
}
