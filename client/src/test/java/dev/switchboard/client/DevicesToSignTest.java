package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.KeyVerificationException.Reason;
import dev.switchboard.crypto.ListedDevice;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a primary agrees to sign ({@link KeyVerifier#devicesToSign}) of an answer of
 * {@code GET /v1/keys/{number}}: itself and the companions it approved, nothing a gateway added.
 */
class DevicesToSignTest {

    private static final String NUMBER = "+390611111111";

    private final DeviceKeys primary = DeviceKeys.generate();
    private final DeviceKeys laptop = DeviceKeys.generate();
    private final KeysAnswer answer = new KeysAnswer(NUMBER)
            .device("dev-a", "primary", primary)
            .device("dev-b", "companion", laptop);

    private List<ListedDevice> sign(ApprovedDevices approved, ObjectNode shown) {
        return KeyVerifier.devicesToSign(NUMBER, "dev-a", primary, approved, shown);
    }

    private KeyVerificationException refused(ApprovedDevices approved, ObjectNode shown) {
        KeyVerificationException e = assertThrows(KeyVerificationException.class, () -> sign(approved, shown));
        assertEquals(NUMBER, e.number());
        return e;
    }

    @Test
    void thePrimaryAndTheCompanionsItApprovedAreSigned() {
        List<ListedDevice> signed = sign(ApprovedDevices.none().with("dev-b"), answer.withoutList());

        assertEquals(answer.listed(), signed);
    }

    @Test
    void anApprovalWithTheSameIdentityKeyIsSigned() {
        List<ListedDevice> signed = sign(ApprovedDevices.none().with("dev-b", laptop.rawIdentityKey()), answer.withList(3, true));

        assertEquals(answer.listed(), signed);
    }

    @Test
    void aPrimaryAloneIsSignedWithNoApprovals() {
        KeysAnswer alone = new KeysAnswer(NUMBER).device("dev-a", "primary", primary);

        assertEquals(alone.listed(), sign(ApprovedDevices.none(), alone.withoutList()));
    }

    @Test
    void anApprovedDeviceThatWasUnlinkedNeedsNoCheck() {
        KeysAnswer alone = new KeysAnswer(NUMBER).device("dev-a", "primary", primary);

        assertEquals(alone.listed(), sign(ApprovedDevices.none().with("dev-b").with("dev-gone", DeviceKeys.generate().rawIdentityKey()),
                alone.withoutList()));
    }

    @Test
    void aDeviceTheGatewayAddedIsRefusedEvenWithAValidSelfSignature() {
        // The gateway's own device: genuine keys, its encryption key properly signed by its identity key.
        answer.device("dev-evil", "companion", DeviceKeys.generate());

        KeyVerificationException e = refused(ApprovedDevices.none().with("dev-b"), answer.withoutList());

        assertEquals(Reason.UNAPPROVED, e.reason());
        assertTrue(e.getMessage().contains("dev-evil"), e.getMessage());
        assertTrue(e.getMessage().contains("never approved"), e.getMessage());
    }

    @Test
    void aCompanionIsRefusedWhenNothingWasApproved() {
        KeyVerificationException e = refused(ApprovedDevices.none(), answer.withoutList());

        assertEquals(Reason.UNAPPROVED, e.reason());
        assertTrue(e.getMessage().contains("dev-b"), e.getMessage());
    }

    @Test
    void anApprovedIdShownWithAnotherIdentityKeyIsRefused() {
        answer.device("dev-b", "companion", DeviceKeys.generate());

        KeyVerificationException e = refused(ApprovedDevices.none().with("dev-b", laptop.rawIdentityKey()), answer.withoutList());

        assertEquals(Reason.MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("dev-b"), e.getMessage());
        assertTrue(e.getMessage().contains("identity key"), e.getMessage());
    }

    @Test
    void aDeviceWithoutAnEncryptionKeySignatureIsRefused() {
        ObjectNode unsigned = answer.withoutList();
        ((ObjectNode) unsigned.get("devices").get(1)).remove("encryptionKeySignature");

        KeyVerificationException e = refused(ApprovedDevices.none().with("dev-b"), unsigned);

        assertEquals(Reason.BAD_SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains("dev-b"), e.getMessage());
    }

    @Test
    void aDeviceWithABadEncryptionKeySignatureIsRefused() {
        ObjectNode forged = answer.withoutList();
        ((ObjectNode) forged.get("devices").get(1)).put("encryptionKeySignature", primary.encryptionKeySignatureB64());

        KeyVerificationException e = refused(ApprovedDevices.none().with("dev-b"), forged);

        assertEquals(Reason.BAD_SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains("dev-b"), e.getMessage());
    }

    @Test
    void anApprovedCompanionShownAsASecondPrimaryIsRefused() {
        answer.device("dev-b", "primary", laptop);

        KeyVerificationException e = refused(ApprovedDevices.none().with("dev-b"), answer.withoutList());

        assertEquals(Reason.MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("dev-b"), e.getMessage());
        assertTrue(e.getMessage().contains("second primary"), e.getMessage());
    }

    @Test
    void thisDeviceShownAsACompanionIsRefused() {
        KeysAnswer demoted = new KeysAnswer(NUMBER).device("dev-x", "primary", DeviceKeys.generate())
                .device("dev-a", "companion", primary);

        KeyVerificationException e = refused(ApprovedDevices.none().with("dev-x"), demoted.withoutList());

        assertEquals(Reason.MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("dev-a"), e.getMessage());
    }

    @Test
    void thisDeviceMissingOrWithOtherKeysIsRefused() {
        KeysAnswer without = new KeysAnswer(NUMBER).device("dev-x", "primary", DeviceKeys.generate());
        KeysAnswer otherKeys = new KeysAnswer(NUMBER).device("dev-a", "primary", primary.withNewEncryptionKey());

        for (ObjectNode bad : List.of(without.withoutList(), otherKeys.withoutList())) {
            KeyVerificationException e = refused(ApprovedDevices.none(), bad);
            assertEquals(Reason.MISMATCH, e.reason());
            assertTrue(e.getMessage().contains("dev-a"), e.getMessage());
        }
    }

    @Test
    void theKeysOfAnotherNumberAreRefused() {
        KeyVerificationException e = assertThrows(KeyVerificationException.class, () -> KeyVerifier.devicesToSign(
                "+390622222222", "dev-a", primary, ApprovedDevices.none().with("dev-b"), answer.withoutList()));

        assertEquals(Reason.MISMATCH, e.reason());
    }
}
