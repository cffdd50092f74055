package dev.switchboard.inbox.devices;

import java.util.List;

/**
 * A device list as the primary signed it. {@code issuedAt} is epoch milliseconds; {@code stale}
 * says the devices changed since (a link, an unlink, a key rotation) and the primary has not signed
 * the new set yet.
 */
public record SignedDeviceList(long version, long issuedAt, List<Entry> devices, String signature, boolean stale) {
    public record Entry(String deviceId, String identityKey, String encryptionKey, String kind) {}

    public SignedDeviceList {
        devices = List.copyOf(devices);
    }
}
