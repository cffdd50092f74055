package dev.switchboard.client;

import dev.switchboard.crypto.ListedDevice;
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
 * @param listedDevices     what the signed list at {@code listVersion} (verified with the account key)
 *                          carries, sorted by device id, whether or not the gateway shows those devices
 *                          now (a stale list may carry a device with the encryption key it had before
 *                          a rotation); empty when {@code listVersion} is 0
 */
public record VerifiedKeys(String number, byte[] accountKey, long listVersion, boolean stale, boolean accountKeyChanged,
        List<VerifiedDevice> devices, List<ListedDevice> listedDevices) {

    public VerifiedKeys {
        Objects.requireNonNull(number, "number");
        accountKey = accountKey == null ? null : accountKey.clone();
        devices = List.copyOf(devices);
        listedDevices = listVersion > 0 && listedDevices != null ? List.copyOf(listedDevices) : List.of();
    }

    /** Keys whose signed list's own content is not known (tests, callers that only look at the shown devices). */
    public VerifiedKeys(String number, byte[] accountKey, long listVersion, boolean stale, boolean accountKeyChanged,
            List<VerifiedDevice> devices) {
        this(number, accountKey, listVersion, stale, accountKeyChanged, devices, List.of());
    }

    /** The device {@code deviceId} as the verified signed list carries it, if it does. */
    public Optional<ListedDevice> listedDevice(String deviceId) {
        return listedDevices.stream().filter(device -> device.deviceId().equals(deviceId)).findFirst();
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
        return new VerifiedKeys(number, accountKey, listVersion, stale, changed, devices, listedDevices);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifiedKeys that
                && number.equals(that.number)
                && Arrays.equals(accountKey, that.accountKey)
                && listVersion == that.listVersion
                && stale == that.stale
                && accountKeyChanged == that.accountKeyChanged
                && devices.equals(that.devices)
                && listedDevices.equals(that.listedDevices);
    }

    @Override
    public int hashCode() {
        return Objects.hash(number, Arrays.hashCode(accountKey), listVersion, stale, accountKeyChanged, devices, listedDevices);
    }

    @Override
    public String toString() {
        return "VerifiedKeys[number=" + number + ", accountKey=" + (accountKey == null ? null : Base64Url.encode(accountKey))
                + ", listVersion=" + listVersion + ", stale=" + stale + ", accountKeyChanged=" + accountKeyChanged
                + ", devices=" + devices + "]";
    }
}
