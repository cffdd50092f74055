package dev.switchboard.client.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line split into global options, the command, its options and its positional
 * arguments. Options may come before or after the command, as {@code --name value} or
 * {@code --name=value}; {@code --} ends options, for a positional that starts with dashes.
 * Which options a command accepts is {@link CommandSpec}'s business, not the parser's.
 */
record CliArgs(Optional<String> server, Optional<String> deviceDir, boolean json, boolean help,
        Optional<String> command, Map<String, String> options, List<String> positionals, Set<String> flags) {

    private static final Set<String> FLAGS = Set.of("json", "help");
    /** Options of some commands that take no value ({@code approve --history}); {@link CommandSpec} says which. */
    static final Set<String> COMMAND_FLAGS = Set.of("history", "allow-plaintext");

    CliArgs {
        options = Map.copyOf(options);
        positionals = List.copyOf(positionals);
        flags = Set.copyOf(flags);
    }

    static CliArgs parse(String... args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        boolean json = false;
        boolean help = false;
        boolean optionsEnded = false;
        Set<String> flags = new java.util.TreeSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                words.add(arg);
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.equals("-h")) {
                help = true;
            } else if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unknown option " + arg);
            } else {
                String name = arg.substring(2);
                String value = null;
                int equals = name.indexOf('=');
                if (equals >= 0) {
                    value = name.substring(equals + 1);
                    name = name.substring(0, equals);
                }
                if (FLAGS.contains(name)) {
                    if (value != null) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    json |= name.equals("json");
                    help |= name.equals("help");
                    continue;
                }
                if (COMMAND_FLAGS.contains(name)) {
                    if (value != null) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    flags.add(name);
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                if (options.putIfAbsent(name, value) != null) {
                    throw new UsageException("--" + name + " given twice");
                }
            }
        }
        Optional<String> server = Optional.ofNullable(options.remove("server"));
        Optional<String> deviceDir = Optional.ofNullable(options.remove("device-dir"));
        Optional<String> command = words.isEmpty() ? Optional.empty() : Optional.of(words.remove(0));
        return new CliArgs(server, deviceDir, json, help, command, options, words, flags);
    }

    /** A command option that {@link CommandSpec#validate} already made sure is present. */
    String option(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    /** Whether a command flag ({@link #COMMAND_FLAGS}) was given. */
    boolean flag(String name) {
        return flags.contains(name);
    }

    /** An option the command may go without. */
    Optional<String> optional(String name) {
        return Optional.ofNullable(options.get(name));
    }

    String positional(int index) {
        return positionals.get(index);
    }
}
