package dev.switchboard.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.DeviceCredentials;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.E2eeSender;
import dev.switchboard.client.HistoryBundles;
import dev.switchboard.client.HistoryStore;
import dev.switchboard.client.KeyDirectory;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TrustStore;
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
    private final java.io.InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private DeviceFolder folder;
    private boolean pendingKeyChecked;
    private SwitchboardClient deviceClient;
    private KeyDirectory keyDirectory;

    CliContext(CliArgs args, PrintStream out, PrintStream err) {
        this(args, System.in, out, err);
    }

    CliContext(CliArgs args, java.io.InputStream in, PrintStream out, PrintStream err) {
        this.args = args;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    CliArgs args() {
        return args;
    }

    /** Standard input (what {@code approve -} reads the QR text from). */
    java.io.InputStream in() {
        return in;
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
        if (deviceClient != null) {
            return deviceClient;
        }
        DeviceCredentials credentials = credentials();
        SwitchboardClient client = anonymousClient().withCredentials(credentials).withSignedListStore(folder().signedListStore());
        deviceClient = client;
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

    /** The verified keys of the numbers this device talks to, checked against the folder's trust store. */
    KeyDirectory keyDirectory() {
        if (keyDirectory == null) {
            keyDirectory = folder().keyDirectory(deviceClient());
        }
        return keyDirectory;
    }

    /** Sends end-to-end encrypted where both numbers can, in the clear otherwise. */
    E2eeSender sender() {
        return new E2eeSender(deviceClient(), folder().keys(), keyDirectory(), folder().trustStore());
    }

    /**
     * Reads end-to-end messages with this device's current and kept keys, and its imported history.
     * A history bundle the primary handed over at linking ({@link DeviceFolder#historyPointer}) is
     * imported the first time; a bundle that cannot be fetched or opened is a warning, and is tried
     * again next time.
     */
    MessageDecryptor decryptor() {
        folder().historyPointer().ifPresent(pointer -> {
            HistoryStore store = folder().historyStore();
            if (!store.imported(pointer.mediaId())) {
                try {
                    int count = HistoryBundles.importInto(deviceClient(), pointer, store);
                    err.println("imported " + count + " earlier end-to-end messages from the primary's history");
                } catch (RuntimeException e) {
                    err.println("warning: cannot import the history the primary handed over: " + e.getMessage());
                }
            }
        });
        return MessageDecryptor.of(folder(), keyDirectory());
    }

    /**
     * Warns on stderr, every time until {@code trust <number>}, when the account key of
     * {@code number} changed since this device last saw it.
     */
    void warnIfAccountKeyChanged(String number) {
        if (folder().trustStore().peer(number).map(TrustStore.Peer::changeUnacknowledged).orElse(false)) {
            err.println("warning: the account key of " + number + " changed since you last saw it");
            err.println("warning: compare the security code with " + number
                    + " again before trusting the conversation ('security-code " + number + "')");
            err.println("warning: once it matches, run 'trust " + number + "' to accept the new key and end this warning");
            err.flush();
        }
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
