package dev.switchboard.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code conversations}: every conversation of the number, most recent first. */
final class ConversationsCommand implements Command {

    @Override
    public int run(CliContext context) {
        List<JsonNode> conversations = context.deviceClient().allConversations();
        if (context.json()) {
            context.printJson(context.object().set("conversations", context.object().arrayNode().addAll(conversations)));
        } else if (conversations.isEmpty()) {
            context.println("no conversations");
        } else {
            conversations.forEach(conversation -> context.println(HumanFormat.conversation(conversation)));
        }
        return 0;
    }
}
