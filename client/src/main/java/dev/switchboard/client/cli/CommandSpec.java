package dev.switchboard.client.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The commands the CLI knows: their options, their positional arguments, their usage line. */
enum CommandSpec {

    ENROLL("enroll", "--number N --code C --name NAME", "enroll this device as the primary device of number N",
            List.of("number", "code", "name"), 0, new EnrollCommand()),
    LINK("link", "--name NAME", "link this device as a companion: shows a QR code and waits for approval",
            List.of("name"), 0, new LinkCommand()),
    APPROVE("approve", "[--history] <qr text | ->",
            "approve a companion's link request (run on the primary); '-' reads the QR text from standard input,"
                    + " keeping its linking secret out of shell history and the process list; --history hands the"
                    + " companion the end-to-end history",
            List.of(), List.of(), List.of("history"), 1, new ApproveCommand()),
    SEND("send", "--to N [--text T] [--file PATH] [--allow-plaintext]",
            "send a message to N, end-to-end encrypted when N can take it; --file attaches a file;"
                    + " --allow-plaintext sends in the clear to a number that had end-to-end keys before",
            List.of("to"), List.of("text", "file"), List.of("allow-plaintext"), 0, new SendCommand()),
    CONVERSATIONS("conversations", "", "list conversations, most recent first",
            List.of(), 0, new ConversationsCommand()),
    MESSAGES("messages", "--with N", "show the conversation with N, end-to-end messages decrypted",
            List.of("with"), 0, new MessagesCommand()),
    WATCH("watch", "", "print live events, one per line, until interrupted",
            List.of(), 0, new WatchCommand()),
    DEVICES("devices", "", "list the devices of this number",
            List.of(), 0, new DevicesCommand()),
    UNLINK("unlink", "<deviceId>", "unlink a device (a companion may only unlink itself)",
            List.of(), 1, new UnlinkCommand()),
    SECURITY_CODE("security-code", "<number>",
            "print the security code with <number>, to compare out of band; warns if a key changed",
            List.of(), 1, new SecurityCodeCommand()),
    TRUST("trust", "<number>",
            "accept a changed account key of <number> after comparing the new security code; ends the warning",
            List.of(), 1, new TrustCommand()),
    PUBLISH_LIST("publish-list", "", "sign and publish this number's device list (run on the primary)",
            List.of(), 0, new PublishListCommand()),
    TOKEN("token", "", "print this device's bearer token, for curl",
            List.of(), 0, new TokenCommand()),
    HELP("help", "", "show this help",
            List.of(), 0, context -> {
                context.out().print(usage());
                return 0;
            });

    static final String SYNOPSIS =
            "usage: java -jar switchboard-cli.jar --server URL --device-dir DIR [--json] <command> [options]";

    private final String name;
    private final String arguments;
    private final String description;
    private final List<String> requiredOptions;
    private final List<String> optionalOptions;
    private final List<String> flags;
    private final int positionals;
    private final Command command;

    CommandSpec(String name, String arguments, String description, List<String> requiredOptions, int positionals,
            Command command) {
        this(name, arguments, description, requiredOptions, List.of(), List.of(), positionals, command);
    }

    CommandSpec(String name, String arguments, String description, List<String> requiredOptions,
            List<String> optionalOptions, List<String> flags, int positionals, Command command) {
        this.name = name;
        this.arguments = arguments;
        this.description = description;
        this.requiredOptions = requiredOptions;
        this.optionalOptions = optionalOptions;
        this.flags = flags;
        this.positionals = positionals;
        this.command = command;
    }

    static CommandSpec named(String name) {
        return Arrays.stream(values())
                .filter(spec -> spec.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new UsageException("unknown command '" + name + "'"));
    }

    Command command() {
        return command;
    }

    String usageLine() {
        return (name + " " + arguments).strip();
    }

    /** Every option this command takes is given, and nothing else. */
    void validate(CliArgs args) {
        Set<String> unknown = new TreeSet<>(args.options().keySet());
        unknown.removeAll(requiredOptions);
        unknown.removeAll(optionalOptions);
        Set<String> unknownFlags = new TreeSet<>(args.flags());
        unknownFlags.removeAll(flags);
        unknown.addAll(unknownFlags);
        if (!unknown.isEmpty()) {
            throw new UsageException(name + " does not take " + unknown.stream()
                    .map(option -> "--" + option).collect(Collectors.joining(", ")) + "; usage: " + usageLine());
        }
        for (String option : requiredOptions) {
            String value = args.options().get(option);
            if (value == null || value.isBlank()) {
                throw new UsageException(name + " needs --" + option + "; usage: " + usageLine());
            }
        }
        for (String option : optionalOptions) {
            String value = args.options().get(option);
            if (value != null && value.isBlank()) {
                throw new UsageException(name + ": --" + option + " is empty; usage: " + usageLine());
            }
        }
        if (args.positionals().size() != positionals) {
            throw new UsageException(name + (positionals == 0 ? " takes no arguments" : " takes " + arguments)
                    + "; usage: " + usageLine());
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder(SYNOPSIS).append("\n\ncommands:\n");
        for (CommandSpec spec : values()) {
            text.append(String.format("  %-40s %s%n", spec.usageLine(), spec.description));
        }
        text.append("\noptions:\n")
                .append(String.format("  %-40s %s%n", "--server URL", "the gateway (defaults to the one the device folder was set up with)"))
                .append(String.format("  %-40s %s%n", "--device-dir DIR", "where this device keeps its token, keys, sync cursor and trusted keys"))
                .append(String.format("  %-40s %s%n", "--json", "print JSON instead of text (one object per line for watch)"))
                .append("\nexit status: 0 on success, 1 when the command failed, 2 on a usage error\n");
        return text.toString();
    }
}
