package dev.switchboard.inbox.model;

import java.time.Instant;

/** One peer in one served number's inbox, with what a conversation list shows. */
public record Conversation(
        String id, String number, String peer, Channel channel, Message lastMessage, int unread, Instant updatedAt) {}
