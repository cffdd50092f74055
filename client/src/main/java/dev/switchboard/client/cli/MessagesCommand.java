package dev.switchboard.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.DecryptedMessage;
import dev.switchboard.client.MessageDecryptor;
import dev.switchboard.client.SwitchboardClient;
import java.util.List;
import java.util.Optional;

/**
 * {@code messages --with N}: the whole conversation with one peer, end-to-end messages decrypted on
 * this device (or taken from the history its primary handed over). JSON keeps the API's order
 * (newest first) and gives each message its {@code e2ee} flag, the readable {@code text} and
 * {@code parts}, a {@code decryptError} when it cannot be read, the signed {@code sentAt} of a
 * decrypted message and {@code warnings} (codes of {@link DecryptedMessage.Warning}) when something
 * about it is doubtful; text reads like a chat, oldest first, a lock on every end-to-end message, a
 * warning sign and what is doubtful, and says so when the conversation is not end-to-end encrypted.
 */
final class MessagesCommand implements Command {

    @Override
    public int run(CliContext context) {
        String peer = context.args().option("with");
        SwitchboardClient client = context.deviceClient();
        Optional<JsonNode> conversation = client.conversationWith(peer);
        List<JsonNode> messages = conversation
                .map(found -> client.allMessages(found.path("id").asText()))
                .orElse(List.of());
        boolean anyEncrypted = messages.stream().anyMatch(m -> m.path("e2ee").asBoolean(false));
        // Plaintext too: one between two numbers with signed lists here is marked as unauthenticated.
        List<DecryptedMessage> read = messages.isEmpty() ? List.of() : decryptor(context).decryptAll(messages);
        if (anyEncrypted) {
            context.warnIfAccountKeyChanged(peer);
        }
        if (context.json()) {
            ArrayNode array = context.object().arrayNode();
            read.forEach(message -> array.add(json(message)));
            context.printJson(context.object()
                    .<ObjectNode>set("conversation", conversation.orElse(NullNode.getInstance()))
                    .set("messages", array));
        } else if (conversation.isEmpty()) {
            context.println("no conversation with " + peer);
        } else {
            context.println(HumanFormat.conversationHeader(conversation.get(), messages, read));
            for (int i = read.size() - 1; i >= 0; i--) {
                context.println(HumanFormat.message(read.get(i)));
            }
        }
        return 0;
    }

    private static MessageDecryptor decryptor(CliContext context) {
        return context.decryptor();
    }

    /** The gateway's message with the readable content in place of what the gateway holds. */
    static ObjectNode json(DecryptedMessage read) {
        ObjectNode out = read.message().deepCopy();
        out.put("e2ee", read.e2ee());
        if (!read.warnings().isEmpty()) {
            ArrayNode warnings = out.putArray("warnings");
            read.warnings().forEach(warning -> warnings.add(warning.code()));
        }
        if (!read.e2ee()) {
            return out;
        }
        if (read.sentAt() != null) {
            out.put("sentAt", read.sentAt().toString());
        }
        out.remove("encrypted");
        if (read.text() == null) {
            out.putNull("text");
        } else {
            out.put("text", read.text());
        }
        ArrayNode parts = out.putArray("parts");
        read.parts().forEach(parts::add);
        out.put("decryptedFrom", read.source().name().toLowerCase(java.util.Locale.ROOT));
        if (read.error() != null) {
            out.put("decryptError", read.error());
        }
        return out;
    }
}
