package dev.switchboard.client;

/** The gateway's 202 answer to a send: the message is stored, with its first status and sync seq. */
public record SentMessage(String id, String conversationId, String status, String channel, long seq) {
}
