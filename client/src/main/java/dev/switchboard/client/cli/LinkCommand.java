package dev.switchboard.client.cli;

import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.LinkRequest;
import dev.switchboard.client.LinkedDevice;
import dev.switchboard.client.SwitchboardClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * {@code link}: shows a QR code (with the linking secret, which only goes through the screen) for
 * the primary to scan, waits for the approval, opens and checks the sealed provisioning, completes
 * the link, and only then keeps the credentials, the trust in the account key and the history
 * pointer.
 */
final class LinkCommand implements Command {

    /** Polls a little past expiry so that the gateway, not a skewed local clock, says "expired". */
    private static final Duration EXPIRY_GRACE = Duration.ofSeconds(15);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);

    private final QrTerminalRenderer renderer = new QrTerminalRenderer();

    @Override
    public int run(CliContext context) {
        DeviceFolder folder = context.folder();
        URI server = context.server();
        Optional<DeviceCredentials> previous = folder.credentials();
        SwitchboardClient client = context.anonymousClient();
        LinkRequest request = client.createLinkRequest(context.args().option("name"), folder.keys());
        if (context.json()) {
            context.printJson(context.object()
                    .put("linkId", request.linkId())
                    .put("deviceId", request.deviceId())
                    .put("qr", request.qr())
                    .put("expiresAt", String.valueOf(request.expiresAt())));
        } else {
            renderer.render(request.qr()).forEach(context.out()::println);
            context.println("QR: " + request.qr());
            context.err().println("scan it on the primary, or run there: approve '" + request.qr() + "'");
            context.err().println("the code holds this link's secret: show it only to your primary");
            context.err().println("waiting for approval until " + request.expiresAt() + " ...");
        }
        LinkedDevice linked = awaitLink(client, request);
        DeviceCredentials credentials = linked.credentials();
        folder.saveCredentials(server, credentials);
        linked.provisioning().trust(folder.trustStore());
        if (linked.provisioning().history() != null) {
            folder.saveHistoryPointer(linked.provisioning().history());
        }
        context.noteReplaced(previous, credentials);
        if (context.json()) {
            context.printJson(context.object()
                    .put("number", credentials.number())
                    .put("deviceId", credentials.deviceId())
                    .put("kind", "companion")
                    .put("listVersion", linked.provisioning().listVersion())
                    .put("history", linked.provisioning().history() != null));
        } else {
            context.println("linked: companion device " + credentials.deviceId() + " of " + credentials.number());
        }
        return 0;
    }

    private static LinkedDevice awaitLink(SwitchboardClient client, LinkRequest request) {
        Duration untilExpiry = request.expiresAt() == null
                ? LONGEST_WAIT
                : Duration.between(Instant.now(), request.expiresAt());
        Duration timeout = clamp(untilExpiry).plus(EXPIRY_GRACE);
        try {
            return client.awaitLink(request, timeout);
        } catch (CancellationException interrupted) {
            throw interrupted;
        } catch (IllegalStateException e) {
            throw new CliFailure("link_timeout", e.getMessage());
        }
    }

    private static Duration clamp(Duration wait) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }
}
