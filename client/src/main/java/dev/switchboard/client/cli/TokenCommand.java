package dev.switchboard.client.cli;

/** {@code token}: the device's bearer token, so that curl can speak for this device. */
final class TokenCommand implements Command {

    @Override
    public int run(CliContext context) {
        String token = context.credentials().token();
        if (context.json()) {
            context.printJson(context.object().put("token", token));
        } else {
            context.println(token);
        }
        return 0;
    }
}
