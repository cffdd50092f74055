/**
 * The {@code switchboard-cli} command line: argument parsing ({@link dev.switchboard.client.cli.CliArgs},
 * {@link dev.switchboard.client.cli.CommandSpec}), one small class per command, human and JSON
 * output, and the terminal QR code for linking. It owns no protocol logic: every command is a thin
 * shell over {@link dev.switchboard.client.SwitchboardClient} and
 * {@link dev.switchboard.client.DeviceFolder}, so what the CLI can do, a program can do too.
 */
package dev.switchboard.client.cli;
