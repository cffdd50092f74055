package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.KeyVerificationException.Reason;
import dev.switchboard.crypto.ListedDevice;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a primary checks of its own number's stored device list (in an answer of
 * {@code GET /v1/keys/{number}}) before it signs a new one on top of it, against the
 * {@linkplain SignedListRecord record} of the last list it signed that the gateway took:
 * <ul>
 * <li>a list older than the record, or none (or one not signed by this account key) where the
 *     record says there is one, is a rollback: the gateway replays a list this primary replaced,
 *     say one that still lists a device unlinked since. Refused, signing nothing;</li>
 * <li>a list with the record's version but other content is a second list with one version:
 *     refused too;</li>
 * <li>a list at the record's version with the same digest, or a newer one signed by this account
 *     key (the list of an approval the companion completed since), is the base: its companions
 *     count as approved, and the new list gets version max(stored, recorded) + 1.</li>
 * </ul>
 * Without a record (a primary that never signed here) the stored list signed by this account key
 * is taken as it is, as before.
 */
final class OwnDeviceList {

    /**
     * @param listed       the companions of the base list, with the identity keys they were listed under
     * @param nextVersion  the version the new list gets
     * @param base         the record of the base list, when it is newer than the one kept (to keep it), else null
     */
    record Base(ApprovedDevices listed, long nextVersion, SignedListRecord base) {
    }

    private OwnDeviceList() {
    }

    static Base check(String number, DeviceKeys primaryKeys, JsonNode answer, Optional<SignedListRecord> record) {
        byte[] accountKey = primaryKeys.rawIdentityKey();
        JsonNode list = answer.get("deviceList");
        KeyVerifier.SignedList stored = null;
        KeyVerifier.SignedList signed = null;
        if (list != null && list.isObject()) {
            stored = KeyVerifier.signedList(number, list);
            if (stored.signedBy(accountKey)) {
                signed = stored;
            }
        }
        SignedListRecord own = record.filter(r -> r.of(number, accountKey)).orElse(null);
        if (own != null) {
            if (signed == null) {
                throw new KeyVerificationException(number, Reason.ROLLBACK, "this primary signed version " + own.version()
                        + " of the device list of " + number + ", but the gateway shows "
                        + (stored == null ? "no device list" : "a list (version " + stored.version()
                                + ") not signed by this account key")
                        + ": a rollback; refusing to sign a new list on top of it");
            }
            if (signed.version() < own.version()) {
                throw new KeyVerificationException(number, Reason.ROLLBACK, "the gateway shows version " + signed.version()
                        + " of the device list of " + number + ", but this primary signed version " + own.version()
                        + " since: the gateway replays an older list (a rollback, which may list devices unlinked"
                        + " since); refusing to sign a new list on top of it");
            }
            if (signed.version() == own.version() && !Arrays.equals(signed.digest(), own.rawSha256())) {
                throw new KeyVerificationException(number, Reason.EQUIVOCATION, "the gateway shows a device list of "
                        + number + " with version " + own.version() + " that is not the version " + own.version()
                        + " this primary signed: refusing to sign a new list on top of it");
            }
        }
        ApprovedDevices listed = ApprovedDevices.none();
        if (signed != null) {
            for (ListedDevice device : signed.devices().values()) {
                if ("companion".equals(device.kind())) {
                    listed = listed.with(device.deviceId(), device.identityKey());
                }
            }
        }
        long storedVersion = stored == null ? 0 : stored.version();
        long nextVersion = Math.max(storedVersion, own == null ? 0 : own.version()) + 1;
        SignedListRecord base = signed != null && (own == null || signed.version() > own.version())
                ? SignedListRecord.of(number, accountKey, signed) : null;
        return new Base(listed, nextVersion, base);
    }
}
