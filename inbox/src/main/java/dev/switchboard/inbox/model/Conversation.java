package dev.switchboard.inbox.model;

import java.time.Instant;

/**
 * One peer in one served number's inbox, with what a conversation list shows. {@code unsubscribed}:
 * the peer opted out of this number's RCS messages; sends to it are refused. {@code e2ee}: the peer is
 * served here and both numbers take end-to-end messages (signed device lists, signed keys on every
 * device), so messages between them must be encrypted.
 */
public record Conversation(
        String id, String number, String peer, Channel channel, Message lastMessage, int unread, Instant updatedAt,
        boolean unsubscribed, boolean e2ee) {}
