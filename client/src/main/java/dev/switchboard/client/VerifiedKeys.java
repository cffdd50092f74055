package dev.switchboard.client;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A number's keys after {@link SwitchboardClient#verifiedKeys} checked them: every signature that
 * is there verified, the signed list (if current) matches the devices, and the list is not older
 * than one this device saw before.
 *
 * @param number            the number, as asked for and as the gateway answered
 * @param accountKey        the number's account key (its primary's raw 32-byte Ed25519 identity
 *                          key), or {@code null} when the number has no primary device
 * @param listVersion       the version of the signed device list that verified with the account
 *                          key, or 0 when there is none (never published, or signed by a previous
 *                          primary's key that the current account key does not verify)
 * @param stale             the gateway marks the stored list stale: devices were linked, unlinked
 *                          or rotated their keys since the primary signed it. Devices not in it
 *                          are then not {@link VerifiedDevice#listed()}
 * @param accountKeyChanged the account key changed from one this device remembered for the
 *                          number (a new primary, or someone in between) and the user has not
 *                          acknowledged it yet: warn the user, and compare security codes again.
 *                          The remembered key is now this one; it stays true on every check until
 *                          {@link TrustStore#acknowledge} is called for the number
 * @param devices           the active devices, sorted by device id
 */
public record VerifiedKeys(String number, byte[] accountKey, long listVersion, boolean stale, boolean accountKeyChanged,
        List<VerifiedDevice> devices) {

    public VerifiedKeys {
        Objects.requireNonNull(number, "number");
        accountKey = accountKey == null ? null : accountKey.clone();
        devices = List.copyOf(devices);
    }

    @Override
    public byte[] accountKey() {
        return accountKey == null ? null : accountKey.clone();
    }

    /** The account key, or empty when the number has no primary device. */
    public Optional<byte[]> accountKeyIfAny() {
        return Optional.ofNullable(accountKey());
    }

    /** Whether a device list signed with the current account key was found. */
    public boolean hasSignedList() {
        return listVersion > 0;
    }

    /** Whether the account key vouches for every device: a current (not stale) signed list lists them all. */
    public boolean allDevicesListed() {
        return hasSignedList() && !stale && devices.stream().allMatch(VerifiedDevice::listed);
    }

    public Optional<VerifiedDevice> device(String deviceId) {
        return devices.stream().filter(device -> device.deviceId().equals(deviceId)).findFirst();
    }

    VerifiedKeys withAccountKeyChanged(boolean changed) {
        return new VerifiedKeys(number, accountKey, listVersion, stale, changed, devices);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifiedKeys that
                && number.equals(that.number)
                && Arrays.equals(accountKey, that.accountKey)
                && listVersion == that.listVersion
                && stale == that.stale
                && accountKeyChanged == that.accountKeyChanged
                && devices.equals(that.devices);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, Arrays.hashCode(accountKey), listVersion, stale, accountKeyChanged, devices);
    }

    @Override
    public String toString() {
        return "VerifiedKeys[number=" + number + ", accountKey=" + (accountKey == null ? null : Base64Url.encode(accountKey))
                + ", listVersion=" + listVersion + ", stale=" + stale + ", accountKeyChanged=" + accountKeyChanged
                + ", devices=" + devices + "]";
    }
}
