package dev.switchboard.client.cli;

/** One CLI command. Failures are thrown, not printed: {@link Cli} turns them into messages and exit codes. */
@FunctionalInterface
interface Command {

    /** @return the exit status, 0 on success */
    int run(CliContext context);
}
