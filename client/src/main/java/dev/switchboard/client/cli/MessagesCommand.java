package dev.switchboard.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.SwitchboardClient;
import java.util.List;
import java.util.Optional;

/**
 * {@code messages --with N}: the whole conversation with one peer. JSON keeps the API's order
 * (newest first); text reads like a chat, oldest first.
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
        if (context.json()) {
            context.printJson(context.object()
                    .<ObjectNode>set("conversation", conversation.orElse(NullNode.getInstance()))
                    .set("messages", context.object().arrayNode().addAll(messages)));
        } else if (conversation.isEmpty()) {
            context.println("no conversation with " + peer);
        } else {
            for (int i = messages.size() - 1; i >= 0; i--) {
                context.println(HumanFormat.message(messages.get(i)));
            }
        }
        return 0;
    }
}
