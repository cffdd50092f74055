package dev.switchboard.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.SwitchboardClient;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a command works with: its arguments, the output streams, the device folder and a client.
 * Folder and server are resolved on first use so that {@code help} needs neither and {@code token}
 * needs no server.
 */
final class CliContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CliArgs args;
    private final PrintStream out;
    private final PrintStream err;
    private DeviceFolder folder;
    private boolean pendingKeyChecked;

    CliContext(CliArgs args, PrintStream out, PrintStream err) {
        this.args = args;
        this.out = out;
        this.err = err;
    }

    CliArgs args() {
        return args;
    }

    PrintStream out() {
        return out;
    }

    /** For progress and hints: never parsed, so it does not disturb {@code --json} output. */
    PrintStream err() {
        return err;
    }

    boolean json() {
        return args.json();
    }

    DeviceFolder folder() {
        if (folder == null) {
            String dir = args.deviceDir().orElseThrow(() -> new UsageException("--device-dir is required"));
            try {
                folder = new DeviceFolder(Path.of(dir));
            } catch (InvalidPathException e) {
                throw new UsageException("--device-dir is not a valid path: " + dir);
            }
        }
        return folder;
    }

    /** {@code --server}, else the server the folder was enrolled or linked against. */
    URI server() {
        if (args.server().isEmpty()) {
            return folder().server().orElseThrow(() -> new UsageException("--server is required"));
        }
        String text = args.server().get();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
                throw new UsageException("--server must be an http:// or https:// URL, got " + text);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("--server is not a URL: " + text);
        }
    }

    DeviceCredentials credentials() {
        return folder().credentials().orElseThrow(() -> new CliFailure("not_enrolled",
                "no device in " + folder().dir() + "; run enroll or link first"));
    }

    SwitchboardClient anonymousClient() {
        return new SwitchboardClient(server());
    }

    /**
     * A client for this device. The first time, a pending encryption key (a rotation cut short) is
     * settled with the gateway: promoted if the gateway already has it. That is best effort: a
     * failure is a warning, and the key stays pending.
     */
    SwitchboardClient deviceClient() {
        DeviceCredentials credentials = credentials();
        SwitchboardClient client = anonymousClient().withCredentials(credentials);
        if (!pendingKeyChecked) {
            pendingKeyChecked = true;
            if (folder().pendingEncryptionKey().isPresent()) {
                try {
                    if (client.reconcilePendingEncryptionKey(folder())) {
                        err.println("note: the gateway has the encryption key of an unfinished rotation; it is now"
                                + " this device's current key (" + folder().encryptionKeyId() + ")");
                    }
                } catch (RuntimeException e) {
                    err.println("warning: cannot settle the pending encryption key of an unfinished rotation: "
                            + e.getMessage());
                }
            }
        }
        return client;
    }

    ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** One compact JSON document per line, flushed: scripts read it as it comes. */
    void printJson(Object value) {
        try {
            out.println(value instanceof JsonNode ? value.toString() : JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + value.getClass().getSimpleName() + " as JSON", e);
        }
        out.flush();
    }

    void println(String line) {
        out.println(line);
        out.flush();
    }

    /** Says so when an enrol or link replaced another device in the folder: that device's token is gone now. */
    void noteReplaced(Optional<DeviceCredentials> previous, DeviceCredentials now) {
        previous.filter(old -> !old.deviceId().equals(now.deviceId()))
                .ifPresent(old -> err.println("note: replaced device " + old.deviceId()
                        + (old.number() == null ? "" : " of " + old.number()) + " in " + folder().dir()));
    }
}
