package dev.switchboard.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.DeviceFolder;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.SwitchboardApiException;
import dev.switchboard.client.SyncEvent;
import dev.switchboard.client.SyncListener;
import dev.switchboard.client.SyncStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code watch}: live events from the device folder's cursor on, one line each, until interrupted.
 * The cursor is saved after each printed event, so the next watch carries on where this one stopped.
 */
final class WatchCommand implements Command {

    @Override
    public int run(CliContext context) {
        DeviceFolder folder = context.folder();
        CompletableFuture<SwitchboardApiException> stopped = new CompletableFuture<>();
        SyncStream stream = context.deviceClient().stream(folder.cursorStore(), new Printer(context, stopped));
        SwitchboardApiException reason;
        try {
            reason = stopped.get();
        } catch (InterruptedException interrupted) {
            // Interrupting is how an in-process watch ends; Ctrl-C just ends the JVM, cursor already saved.
            stream.close();
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible.getCause());
        } finally {
            stream.close();
        }
        if ("unlinked".equals(reason.code())) {
            // The token is dead; forgetting it lets this folder be linked again.
            folder.clearCredentials();
        }
        throw reason;
    }

    /** Runs on the stream's thread; completes {@code stopped} when the stream gives up for good. */
    private static final class Printer implements SyncListener {

        private final CliContext context;
        private final CompletableFuture<SwitchboardApiException> stopped;
        private MessageDecryptor decryptor;

        Printer(CliContext context, CompletableFuture<SwitchboardApiException> stopped) {
            this.context = context;
            this.stopped = stopped;
        }

        @Override
        public void onEvent(SyncEvent e) {
            DecryptedMessage read = decrypted(e);
            if (context.json()) {
                context.printJson(context.object()
                        .put("seq", e.seq())
                        .put("type", e.type())
                        .put("at", String.valueOf(e.at()))
                        .set("data", read == null ? e.data() : MessagesCommand.json(read)));
            } else if (read != null) {
                context.println("#" + e.seq() + " " + e.type() + "  " + HumanFormat.message(read));
            } else {
                context.println(HumanFormat.event(e));
            }
        }

        /** A message event, read on this device (decrypted, or plaintext checked for being unauthenticated); null for any other event. */
        private DecryptedMessage decrypted(SyncEvent e) {
            boolean message = e.type().equals("message.created") || e.type().equals("message.updated");
            if (!message) {
                return null;
            }
            if (decryptor == null) {
                decryptor = context.decryptor();
            }
            return decryptor.decrypt(e.data());
        }

        @Override
        public void onTyping(JsonNode data) {
            if (context.json()) {
                context.printJson(context.object().put("type", "typing").set("data", data));
            } else {
                context.println(HumanFormat.typing(data));
            }
        }

        @Override
        public void onConnected() {
            context.err().println("connected; watching for events");
        }

        @Override
        public void onDisconnected(Throwable cause) {
            if (cause instanceof SwitchboardApiException) {
                stopped.complete((SwitchboardApiException) cause);
            } else {
                String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
                context.err().println("disconnected (" + why + "); reconnecting");
            }
        }
    }
}
