package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.MessageContent;

/**
 * A device's request to send, already validated; {@code requestHash} identifies the body for
 * idempotency, {@code channel} is what the device asked for off-net.
 */
public record SendRequest(String to, MessageContent content, String idempotencyKey, byte[] requestHash, RequestedChannel channel) {

    public SendRequest(String to, MessageContent content, String idempotencyKey, byte[] requestHash) {
        this(to, content, idempotencyKey, requestHash, RequestedChannel.AUTO);
    }
}
