package dev.switchboard.client.cli;

import dev.switchboard.client.TrustStore;

/**
 * {@code trust <number>}: acknowledges that the account key of {@code <number>} changed, once the
 * user compared the new security code out of band; {@code security-code} stops warning then. What
 * is acknowledged is the key {@code security-code} last showed (the one remembered in the trust
 * store), so nothing is fetched: should the key change again, the warning comes back.
 */
final class TrustCommand implements Command {

    @Override
    public int run(CliContext context) {
        String number = context.args().positional(0);
        if (number.isBlank()) {
            throw new UsageException("trust needs a number; usage: trust <number>");
        }
        TrustStore trust = context.folder().trustStore();
        TrustStore.Peer peer = trust.peer(number).orElseThrow(() -> new CliFailure("unknown_number",
                "the keys of " + number + " were never checked here; run security-code " + number + " first"));
        boolean acknowledged = trust.acknowledge(number);
        if (context.json()) {
            context.printJson(context.object().put("number", number).put("acknowledged", acknowledged));
        } else if (acknowledged) {
            context.println("accepted the new account key of " + number
                    + (peer.accountKey() == null ? "" : " (" + peer.accountKey() + ")"));
        } else {
            context.println("no unacknowledged account key change for " + number);
        }
        return 0;
    }
}
