package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.MessageContent;
import java.util.Set;

/**
 * A claimed outbox entry: the message to send and which of its segments a carrier already
 * accepted (after a crash, only the others are sent again).
 */
public record OutboxItem(String messageId, String from, String to, MessageContent content, int attempts, Set<Integer> submittedSegments) {
    public OutboxItem {
        submittedSegments = Set.copyOf(submittedSegments);
    }
}
