package dev.switchboard.client.cli;

import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import java.util.Optional;

/** {@code enroll}: becomes the number's primary device with an enrolment code from the admin. */
final class EnrollCommand implements Command {

    @Override
    public int run(CliContext context) {
        CliArgs args = context.args();
        DeviceFolder folder = context.folder();
        Optional<DeviceCredentials> previous = folder.credentials();
        DeviceCredentials credentials = context.anonymousClient().enrollPrimary(
                args.option("number"), args.option("code"), args.option("name"), folder.keys());
        folder.saveCredentials(context.server(), credentials);
        context.noteReplaced(previous, credentials);
        if (context.json()) {
            context.printJson(context.object()
                    .put("number", credentials.number())
                    .put("deviceId", credentials.deviceId())
                    .put("kind", "primary"));
        } else {
            context.println("enrolled: primary device " + credentials.deviceId() + " of " + credentials.number());
        }
        return 0;
    }
}
