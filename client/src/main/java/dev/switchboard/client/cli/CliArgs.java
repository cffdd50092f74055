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
        Optional<String> command, Map<String, String> options, List<String> positionals) {

    private static final Set<String> FLAGS = Set.of("json", "help");

    CliArgs {
        options = Map.copyOf(options);
        positionals = List.copyOf(positionals);
    }

    static CliArgs parse(String... args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        boolean json = false;
        boolean help = false;
        boolean optionsEnded = false;
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
        return new CliArgs(server, deviceDir, json, help, command, options, words);
    }

    /** A command option that {@link CommandSpec#validate} already made sure is present. */
    String option(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    String positional(int index) {
        return positionals.get(index);
    }
}
