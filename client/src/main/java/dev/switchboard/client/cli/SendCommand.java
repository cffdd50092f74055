package dev.switchboard.client.cli;

import dev.switchboard.client.Attachment;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.SentMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code send}: a message with a text and/or a file, end-to-end encrypted when the peer's number and
 * this one can both take it ({@link E2eeSender}), as before otherwise (a carrier peer gets SMS or
 * RCS). Nothing is sent while an account key change is unacknowledged, nor in the clear to a number
 * this device verified a signed device list of before, unless {@code --allow-plaintext} says so
 * (exit 1, {@code error: plaintext_refused: ...}). With {@code --json} prints
 * the gateway's accepted message and whether it was encrypted.
 */
final class SendCommand implements Command {

    @Override
    public int run(CliContext context) {
        CliArgs args = context.args();
        String to = args.option("to");
        String text = args.optional("text").orElse(null);
        Optional<String> file = args.optional("file");
        if (text == null && file.isEmpty()) {
            throw new UsageException("send needs --text, --file or both; usage: send --to N [--text T] [--file PATH]");
        }
        List<Attachment> attachments = file.map(SendCommand::attachment).map(List::of).orElse(List.of());
        E2eeSender.Sent sent;
        try {
            E2eeSender sender = context.sender();
            sent = (args.flag("allow-plaintext") ? sender.allowingPlaintext() : sender).send(to, text, attachments);
        } finally {
            context.warnIfAccountKeyChanged(to);
        }
        SentMessage message = sent.message();
        if (context.json()) {
            context.printJson(context.object()
                    .put("id", message.id())
                    .put("conversationId", message.conversationId())
                    .put("status", message.status())
                    .put("channel", message.channel())
                    .put("seq", message.seq())
                    .put("e2ee", sent.encrypted()));
        } else {
            context.println("sent " + message.id() + " to " + to + ": " + message.status() + " via " + message.channel()
                    + (sent.encrypted() ? "  " + HumanFormat.LOCK + " end-to-end encrypted" : "  (not end-to-end encrypted)"));
        }
        return 0;
    }

    private static Attachment attachment(String name) {
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            throw new UsageException("--file is not a valid path: " + name);
        }
        try {
            String type = Files.probeContentType(path);
            return new Attachment(Files.readAllBytes(path), type == null ? "application/octet-stream" : type,
                    path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
