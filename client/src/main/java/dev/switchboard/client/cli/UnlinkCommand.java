package dev.switchboard.client.cli;

import dev.switchboard.client.DeviceCredentials;

/**
 * {@code unlink}: removes a device; unlinking this very device also forgets its now useless token,
 * unlinking a companion forgets its approval (shown again, {@code publish-list} refuses it).
 */
final class UnlinkCommand implements Command {

    @Override
    public int run(CliContext context) {
        String deviceId = context.args().positional(0);
        DeviceCredentials self = context.credentials();
        context.deviceClient().unlink(deviceId);
        if (deviceId.equals(self.deviceId())) {
            context.folder().clearCredentials();
        } else {
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
