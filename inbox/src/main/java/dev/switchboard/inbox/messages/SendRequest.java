package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.MessageContent;

/** A device's request to send, already validated; {@code requestHash} identifies the body for idempotency. */
public record SendRequest(String to, MessageContent content, String idempotencyKey, byte[] requestHash) {}
