package dev.switchboard.inbox.model;

import java.time.Instant;

/**
 * One peer in one served number's inbox, with what a conversation list shows. {@code unsubscribed}:
 * the peer opted out of this number's RCS messages; sends to it are refused.
 */
public record Conversation(
        String id, String number, String peer, Channel channel, Message lastMessage, int unread, Instant updatedAt,
        boolean unsubscribed) {}
