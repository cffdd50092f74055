package dev.switchboard.inbox.model;

import java.time.Instant;

/** One message as it sits in one number's inbox. An on-net message has a copy in each inbox. */
public record Message(
        String id,
        String conversationId,
        String number,
        Direction direction,
        String from,
        String to,
        Channel channel,
        MessageStatus status,
        String statusReason,
        MessageContent content,
        boolean e2ee,
        Instant createdAt,
        Instant updatedAt) {}
