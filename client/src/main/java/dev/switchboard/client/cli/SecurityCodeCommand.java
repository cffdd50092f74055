package dev.switchboard.client.cli;

import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TrustStore;
import dev.switchboard.client.VerifiedKeys;
import dev.switchboard.crypto.SecurityCode;

/**
 * {@code security-code <number>}: the security code of the conversation between this device's
 * number and {@code <number>}, a fingerprint of both account keys that the two people compare out
 * of band (both sides print the same 60 digits). Both numbers' keys are verified first, against
 * the trust store in the device folder; when an account key changed from one seen before, a
 * warning goes to stderr, every time until the user accepts the new key with {@code trust <number>}.
 */
final class SecurityCodeCommand implements Command {

    @Override
    public int run(CliContext context) {
        String peer = context.args().positional(0);
        if (peer.isBlank()) {
            throw new UsageException("security-code needs a number; usage: security-code <number>");
        }
        DeviceCredentials self = context.credentials();
        String own = self.number();
        if (own == null) {
            throw new CliFailure("not_enrolled", "the device in " + context.folder().dir() + " does not know its number");
        }
        SwitchboardClient client = context.deviceClient();
        TrustStore trust = context.folder().trustStore();
        VerifiedKeys mine = client.verifiedKeys(own, trust);
        VerifiedKeys theirs = peer.equals(own) ? mine : client.verifiedKeys(peer, trust);
        warnIfChanged(context, mine);
        if (theirs != mine) {
            warnIfChanged(context, theirs);
        }
        String code = SecurityCode.of(own, accountKey(mine), peer, accountKey(theirs));
        if (context.json()) {
            context.printJson(context.object().put("securityCode", code));
        } else {
            context.println(code);
        }
        return 0;
    }

    private static void warnIfChanged(CliContext context, VerifiedKeys keys) {
        if (keys.accountKeyChanged()) {
            context.err().println("warning: the account key of " + keys.number() + " changed since you last saw it");
            context.err().println("warning: compare the security code with " + keys.number()
                    + " again before trusting the conversation");
            context.err().println("warning: once it matches, run 'trust " + keys.number()
                    + "' to accept the new key and end this warning");
            context.err().flush();
        }
    }

    private static byte[] accountKey(VerifiedKeys keys) {
        byte[] key = keys.accountKey();
        if (key == null) {
            throw new CliFailure("no_account_key", keys.number() + " has no primary device, so no account key to compare");
        }
        return key;
    }
}
