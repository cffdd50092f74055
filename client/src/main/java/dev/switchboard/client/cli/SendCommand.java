package dev.switchboard.client.cli;

import dev.switchboard.client.SentMessage;

/** {@code send}: one text message; with {@code --json} prints the gateway's accepted message. */
final class SendCommand implements Command {

    @Override
    public int run(CliContext context) {
        CliArgs args = context.args();
        String to = args.option("to");
        SentMessage sent = context.deviceClient().send(to, args.option("text"));
        if (context.json()) {
            context.printJson(sent);
        } else {
            context.println("sent " + sent.id() + " to " + to + ": " + sent.status() + " via " + sent.channel());
        }
        return 0;
    }
}
