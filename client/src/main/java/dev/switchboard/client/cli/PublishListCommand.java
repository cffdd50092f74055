package dev.switchboard.client.cli;

/**
 * {@code publish-list}: the primary signs its number's current devices with the account key and
 * publishes the list, so that other numbers can verify them. Needed after a link, an unlink or a
 * key rotation, which leave the published list stale. Only this device and the companions it
 * approved ({@code approve}) are signed: any other device the gateway shows makes it fail.
 */
final class PublishListCommand implements Command {

    @Override
    public int run(CliContext context) {
        long version = context.deviceClient().publishDeviceList(context.folder().keys(),
                context.folder().approvedDevices());
        if (context.json()) {
            context.printJson(context.object().put("version", version));
        } else {
            context.println("published device list version " + version + " of " + context.credentials().number());
        }
        return 0;
    }
}
