package dev.switchboard.client.cli;

import dev.switchboard.client.LinkQr;

/**
 * {@code approve}: the primary approves a companion from the text of its QR code, and records the
 * approval in its folder: {@code publish-list} signs only companions approved here.
 */
final class ApproveCommand implements Command {

    @Override
    public int run(CliContext context) {
        String qrText = context.args().positional(0);
        try {
            LinkQr.parse(qrText);
        } catch (IllegalArgumentException e) {
            // Checked before touching the network: a mistyped argument is a usage error, not a failure.
            throw new UsageException(e.getMessage());
        }
        String deviceId = context.deviceClient().approveLink(qrText, context.folder().keys());
        // The approval answer names the new device but not its keys; the id is what can be recorded.
        context.folder().recordApproved(deviceId);
        if (context.json()) {
            context.printJson(context.object().put("deviceId", deviceId));
        } else {
            context.println("approved: linked device " + deviceId);
        }
        return 0;
    }
}
