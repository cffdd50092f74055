package dev.switchboard.client.cli;

import dev.switchboard.client.AccountKeyChangedException;
import dev.switchboard.client.KeyVerificationException;
import dev.switchboard.client.SwitchboardApiException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;

/**
 * Entry point of {@code switchboard-cli.jar}. {@link #run} is the whole program minus
 * {@code System.exit}, so tests drive it in-process; it maps every failure to a message on
 * {@code err} and an exit status: 0 success, 1 the command failed, 2 the command line is wrong.
 */
public final class Cli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** {@link #run(String[], java.io.InputStream, PrintStream, PrintStream)} reading standard input. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** Runs one command; {@code in} is what {@code approve -} reads the QR text from. */
    public static int run(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
        try {
            CliArgs parsed = CliArgs.parse(args);
            if (parsed.command().isEmpty()) {
                if (parsed.help()) {
                    out.print(CommandSpec.usage());
                    return OK;
                }
                throw new UsageException("no command given");
            }
            CommandSpec spec = CommandSpec.named(parsed.command().get());
            if (parsed.help()) {
                out.println("usage: " + spec.usageLine());
                return OK;
            }
            spec.validate(parsed);
            return spec.command().run(new CliContext(parsed, in, out, err));
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(CommandSpec.SYNOPSIS);
            err.println("run 'help' for the list of commands");
            return USAGE;
        } catch (SwitchboardApiException e) {
            return fail(err, e.code(), e.getMessage());
        } catch (AccountKeyChangedException e) {
            return fail(err, "account_key_changed", e.getMessage());
        } catch (dev.switchboard.client.PlaintextRefusedException e) {
            return fail(err, "plaintext_refused", e.getMessage());
        } catch (KeyVerificationException e) {
            return fail(err, "key_verification_failed", e.getMessage());
        } catch (dev.switchboard.client.LinkRefusedException e) {
            return fail(err, "link_refused", e.getMessage());
        } catch (CliFailure e) {
            return fail(err, e.code(), e.getMessage());
        } catch (UncheckedIOException e) {
            return fail(err, "io", e.getMessage());
        } catch (CancellationException e) {
            Thread.currentThread().interrupt();
            return fail(err, "interrupted", "stopped before the command finished");
        } catch (RuntimeException e) {
            return fail(err, "failed", String.valueOf(e.getMessage()));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int fail(PrintStream err, String code, String message) {
        err.println("error: " + code + ": " + message);
        return FAILED;
    }
}
