package dev.switchboard.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.KeyVerificationException.Reason;
import dev.switchboard.crypto.ListedDevice;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a primary checks of its own number's stored list before signing on top of it
 * ({@link OwnDeviceList}), against the record of the last list it signed: a gateway replaying an
 * older list (one that still lists a device unlinked since) or another list with the same version
 * gets nothing signed.
 */
class OwnDeviceListTest {

    private static final String NUMBER = "+390611111111";

    private final DeviceKeys primary = DeviceKeys.generate();
    private final DeviceKeys stolen = DeviceKeys.generate();
    private final DeviceKeys laptop = DeviceKeys.generate();
    private final KeysAnswer all = new KeysAnswer(NUMBER)
            .device("dev-a", "primary", primary)
            .device("dev-s", "companion", stolen)
            .device("dev-l", "companion", laptop);
    private final KeysAnswer withoutStolen = new KeysAnswer(NUMBER)
            .device("dev-a", "primary", primary)
            .device("dev-l", "companion", laptop);

    /** The record of what the primary signed as version {@code version} (the devices of {@code shown}). */
    private SignedListRecord record(long version, KeysAnswer shown) {
        JsonNode answer = shown.withList(version, false);
        return SignedListRecord.of(NUMBER, primary.rawIdentityKey(), answer.get("deviceList"));
    }

    private KeyVerificationException refused(ObjectNode answer, SignedListRecord record) {
        KeyVerificationException e = assertThrows(KeyVerificationException.class,
                () -> OwnDeviceList.check(NUMBER, primary, answer, Optional.of(record)));
        assertEquals(NUMBER, e.number());
        return e;
    }

    @Test
    void anOlderListStillHoldingAnUnlinkedDeviceIsARollbackAndNothingIsMergedFromIt() {
        // v2 listed the stolen device; the primary unlinked it with v3; the gateway replays v2.
        SignedListRecord signedV3 = record(3, withoutStolen);

        KeyVerificationException e = refused(all.withList(2, false), signedV3);

        assertEquals(Reason.ROLLBACK, e.reason());
        assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains("version 3"), e.getMessage());
    }

    @Test
    void noListOrOneNotSignedByThisAccountKeyIsARollbackOnceThePrimarySignedOne() {
        SignedListRecord signedV1 = record(1, withoutStolen);

        assertEquals(Reason.ROLLBACK, refused(all.withoutList(), signedV1).reason());
        assertEquals(Reason.ROLLBACK, refused(all.withList(5, false, DeviceKeys.generate(), all.listed()), signedV1).reason());
    }

    @Test
    void anotherListWithTheRecordedVersionIsRefused() {
        SignedListRecord signedV3 = record(3, withoutStolen);

        // A list the primary did sign as version 3 too (an approval that never completed), with the stolen device.
        KeyVerificationException e = refused(all.withList(3, false), signedV3);

        assertEquals(Reason.EQUIVOCATION, e.reason());
    }

    @Test
    void theRecordedListItselfIsTheBaseAndTheNextVersionIsOneUp() {
        SignedListRecord signedV3 = record(3, withoutStolen);
        ObjectNode answer = withoutStolen.withList(3, false);

        OwnDeviceList.Base base = OwnDeviceList.check(NUMBER, primary, answer, Optional.of(signedV3));

        assertEquals(4, base.nextVersion());
        assertEquals(List.of("dev-l"), List.copyOf(base.listed().deviceIds()));
        assertNull(base.base(), "nothing newer to remember");
    }

    @Test
    void aNewerListSignedByThisAccountKeyIsTheBaseAndIsRemembered() {
        // An approval signed version 4 and the companion completed it since.
        SignedListRecord signedV3 = record(3, withoutStolen);

        OwnDeviceList.Base base = OwnDeviceList.check(NUMBER, primary, all.withList(4, false), Optional.of(signedV3));

        assertEquals(5, base.nextVersion());
        assertTrue(base.listed().contains("dev-s"));
        assertEquals(4, base.base().version());
        assertEquals(all.listed().stream().sorted(java.util.Comparator.comparing(ListedDevice::deviceId)).toList(),
                base.base().devices());
    }

    @Test
    void theNextVersionIsAboveTheStoredListEvenWhenItIsNotThePrimarys() {
        // No record: as before, the stored list signed by this account key is the base.
        OwnDeviceList.Base base = OwnDeviceList.check(NUMBER, primary, all.withList(7, true), Optional.empty());
        assertEquals(8, base.nextVersion());
        assertTrue(base.listed().contains("dev-s"));

        OwnDeviceList.Base foreign = OwnDeviceList.check(NUMBER, primary,
                all.withList(9, true, DeviceKeys.generate(), all.listed()), Optional.empty());
        assertEquals(10, foreign.nextVersion());
        assertTrue(foreign.listed().isEmpty(), "a list another key signed vouches for nothing");
        assertNull(foreign.base());
    }

    @Test
    void aRecordOfAnotherAccountKeyOrNumberDoesNotApply() {
        SignedListRecord otherKey = SignedListRecord.of(NUMBER, DeviceKeys.generate().rawIdentityKey(),
                withoutStolen.withList(9, false).get("deviceList"));

        OwnDeviceList.Base base = OwnDeviceList.check(NUMBER, primary, all.withList(2, false), Optional.of(otherKey));

        assertEquals(3, base.nextVersion());
        assertFalse(otherKey.of(NUMBER, primary.rawIdentityKey()));
        assertFalse(record(1, all).of("+390699999999", primary.rawIdentityKey()));
    }

    @Test
    void aRecordSurvivesJson() {
        SignedListRecord signed = record(3, all);

        SignedListRecord back = SignedListRecord.fromJson(signed.toJson());

        assertEquals(signed.number(), back.number());
        assertEquals(signed.version(), back.version());
        assertEquals(signed.sha256(), back.sha256());
        assertEquals(signed.accountKey(), back.accountKey());
        assertEquals(signed.devices(), back.devices());
    }
}
