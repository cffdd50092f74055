package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.model.MessageContent;

/**
 * A device's request to send, already validated; {@code requestHash} identifies the body for
 * idempotency, {@code channel} is what the device asked for off-net. {@code encrypted} is set for an
 * end-to-end encrypted message, whose {@code content} is then empty.
 */
public record SendRequest(String to, MessageContent content, String idempotencyKey, byte[] requestHash, RequestedChannel channel,
                          EncryptedMessage encrypted) {

    public SendRequest(String to, MessageContent content, String idempotencyKey, byte[] requestHash) {
        this(to, content, idempotencyKey, requestHash, RequestedChannel.AUTO, null);
    }

    public SendRequest(String to, MessageContent content, String idempotencyKey, byte[] requestHash, RequestedChannel channel) {
        this(to, content, idempotencyKey, requestHash, channel, null);
    }

    /** An end-to-end encrypted send: on-net only, no content the server could read. */
    public static SendRequest encrypted(String to, EncryptedMessage encrypted, String idempotencyKey, byte[] requestHash) {
        return new SendRequest(to, new MessageContent(java.util.List.of(), java.util.List.of(), null), idempotencyKey, requestHash,
                RequestedChannel.AUTO, encrypted);
    }

    public boolean isEncrypted() { return encrypted != null; }
}
