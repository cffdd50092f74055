package dev.switchboard.client.cli;

import dev.switchboard.client.HistoryBundles;
import dev.switchboard.client.HistoryPointer;
import dev.switchboard.client.LinkQr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code approve}: the primary approves a companion from the text of its QR code. The client checks
 * the request against the code, signs the companion's keys and the new device list with the
 * account key, and seals the provisioning to the code's ephemeral key under its linking secret;
 * the approval is recorded in the folder ({@code publish-list} and {@code unlink} sign only
 * companions approved here or already in a list this account signed). With {@code --history} the
 * end-to-end messages this primary can read go along: exported as an encrypted history bundle,
 * uploaded as opaque media, its pointer and key sealed into the provisioning (the gateway never
 * has the key); the companion imports it the first time it reads messages. The bundle is exported
 * and uploaded only after the request the gateway shows was checked against the QR code (and the
 * stored device list against the last one this primary signed): a wrong or forged QR text uploads
 * nothing.
 *
 * <p>The QR text carries the linking secret: given as {@code -}, it is read from standard input
 * (first non-blank line), which keeps it out of shell history and of the process list
 * ({@code /proc/<pid>/cmdline}) where an argument shows.
 */
final class ApproveCommand implements Command {

    /** More than any QR text: a longer standard input is not one. */
    private static final int MAX_QR_TEXT = 4096;

    @Override
    public int run(CliContext context) {
        String argument = context.args().positional(0);
        String qrText = "-".equals(argument) ? readQrText(context) : argument;
        LinkQr qr;
        try {
            qr = LinkQr.parse(qrText);
        } catch (IllegalArgumentException e) {
            // Checked before touching the network: a mistyped argument is a usage error, not a failure.
            throw new UsageException(e.getMessage());
        }
        boolean withHistory = context.args().flag("history");
        HistoryPointer[] exported = new HistoryPointer[1];
        String deviceId = context.deviceClient().approveLinkWithHistory(qrText, context.folder().keys(),
                context.folder().approvedDevices(), () -> {
                    if (!withHistory) {
                        return null;
                    }
                    exported[0] = HistoryBundles.export(context.deviceClient(), context.decryptor());
                    context.err().println("exported the end-to-end history for the new device");
                    return exported[0];
                });
        context.folder().recordApproved(deviceId, qr.rawIdentityKey());
        if (context.json()) {
            context.printJson(context.object().put("deviceId", deviceId).put("history", exported[0] != null));
        } else {
            context.println("approved: linked device " + deviceId);
        }
        return 0;
    }

    private static String readQrText(CliContext context) {
        byte[] bytes;
        try {
            bytes = context.in().readNBytes(MAX_QR_TEXT + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the QR text from standard input", e);
        }
        if (bytes.length > MAX_QR_TEXT) {
            throw new UsageException("standard input is longer than any QR text (" + MAX_QR_TEXT + " bytes)");
        }
        String text = new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).filter(line -> !line.isEmpty())
                .findFirst().orElse("");
        if (text.isEmpty()) {
            throw new UsageException("'approve -' reads the QR text from standard input, but it was empty");
        }
        return text;
    }
}
