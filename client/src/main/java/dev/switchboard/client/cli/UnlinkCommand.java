package dev.switchboard.client.cli;

import dev.switchboard.client.DeviceCredentials;

/**
 * {@code unlink}: removes a device. On the primary, unlinking a companion signs the new device list
 * (the remaining devices) with the account key and sends it along, and forgets the approval (shown
 * again, {@code publish-list} refuses it). Unlinking this very device also forgets its now useless
 * token; a companion's own unlink leaves the list stale until the primary signs again.
 */
final class UnlinkCommand implements Command {

    @Override
    public int run(CliContext context) {
        String deviceId = context.args().positional(0);
        DeviceCredentials self = context.credentials();
        if (deviceId.equals(self.deviceId())) {
            context.deviceClient().unlink(deviceId);
            context.folder().clearCredentials();
        } else {
            context.deviceClient().unlink(deviceId, context.folder().keys(), context.folder().approvedDevices());
            context.folder().forgetApproved(deviceId);
        }
        if (context.json()) {
            context.printJson(context.object().put("unlinked", deviceId));
        } else {
            context.println("unlinked " + deviceId);
        }
        return 0;
    }
}
