package dev.switchboard.client.cli;

import dev.switchboard.client.HistoryBundles;
import dev.switchboard.client.HistoryPointer;
import dev.switchboard.client.LinkQr;

/**
 * {@code approve}: the primary approves a companion from the text of its QR code. The client checks
 * the request against the code, signs the companion's keys and the new device list with the
 * account key, and seals the provisioning to the code's ephemeral key under its linking secret;
 * the approval is recorded in the folder ({@code publish-list} and {@code unlink} sign only
 * companions approved here or already in a list this account signed). With {@code --history} the
 * end-to-end messages this primary can read go along: exported as an encrypted history bundle,
 * uploaded as opaque media, its pointer and key sealed into the provisioning (the gateway never
 * has the key); the companion imports it the first time it reads messages.
 */
final class ApproveCommand implements Command {

    @Override
    public int run(CliContext context) {
        String qrText = context.args().positional(0);
        LinkQr qr;
        try {
            qr = LinkQr.parse(qrText);
        } catch (IllegalArgumentException e) {
            // Checked before touching the network: a mistyped argument is a usage error, not a failure.
            throw new UsageException(e.getMessage());
        }
        HistoryPointer history = null;
        if (context.args().flag("history")) {
            history = HistoryBundles.export(context.deviceClient(), context.decryptor());
            context.err().println("exported the end-to-end history for the new device");
        }
        String deviceId = context.deviceClient().approveLink(qrText, context.folder().keys(),
                context.folder().approvedDevices(), history);
        context.folder().recordApproved(deviceId, qr.rawIdentityKey());
        if (context.json()) {
            context.printJson(context.object().put("deviceId", deviceId).put("history", history != null));
        } else {
            context.println("approved: linked device " + deviceId);
        }
        return 0;
    }
}
