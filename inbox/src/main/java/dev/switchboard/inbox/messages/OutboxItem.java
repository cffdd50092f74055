package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.MessageContent;
import java.util.Set;

/**
 * A claimed outbox entry: the message to send, which of its segments a carrier already accepted
 * (after a crash, only the others are sent again), and the {@code carrier_ref} of the
 * conversation's last inbound message ({@code null} when there is none), which names the path the
 * peer last came by (e.g. {@code smpp:<account>:<message id>}) for routing replies back along it.
 */
public record OutboxItem(String messageId, String from, String to, MessageContent content, int attempts, Set<Integer> submittedSegments,
                         String lastInboundRef) {
    public OutboxItem {
        submittedSegments = Set.copyOf(submittedSegments);
    }

    public OutboxItem(String messageId, String from, String to, MessageContent content, int attempts, Set<Integer> submittedSegments) {
        this(messageId, from, to, content, attempts, submittedSegments, null);
    }
}
