package dev.switchboard.inbox.model;

import java.time.Instant;
import java.util.List;

/**
 * One message as it sits in one number's inbox. An on-net message has a copy in each inbox.
 *
 * @param statusHistory every status the message went through, oldest first, beginning with the one
 *                      it was created with and ending with {@code status}
 * @param sms           how it travelled as SMS; null on-net, and for outbound SMS until the carrier
 *                      accepted its first segment
 * @param attempts      every attempt to hand an outbound message to a carrier, oldest first
 * @param payloadId     for an end-to-end encrypted message ({@code e2ee}), the stored ciphertext both
 *                      inboxes' copies share; null otherwise. The content of such a message is empty:
 *                      the server has no plaintext.
 */
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
        Instant updatedAt,
        List<StatusChange> statusHistory,
        SmsDetails sms,
        List<DeliveryAttempt> attempts,
        String payloadId) {

    public Message {
        if (e2ee != (payloadId != null)) {
            throw new IllegalArgumentException("an e2ee message, and only one, references its payload");
        }
        statusHistory = List.copyOf(statusHistory);
        attempts = List.copyOf(attempts);
    }

    public Message(String id, String conversationId, String number, Direction direction, String from, String to, Channel channel,
                   MessageStatus status, String statusReason, MessageContent content, boolean e2ee, Instant createdAt,
                   Instant updatedAt, List<StatusChange> statusHistory, SmsDetails sms, List<DeliveryAttempt> attempts) {
        this(id, conversationId, number, direction, from, to, channel, status, statusReason, content, e2ee, createdAt, updatedAt,
                statusHistory, sms, attempts, null);
    }

    /** A message no carrier has been asked to take yet. */
    public Message(String id, String conversationId, String number, Direction direction, String from, String to, Channel channel,
                   MessageStatus status, String statusReason, MessageContent content, boolean e2ee, Instant createdAt,
                   Instant updatedAt, List<StatusChange> statusHistory, SmsDetails sms) {
        this(id, conversationId, number, direction, from, to, channel, status, statusReason, content, e2ee, createdAt, updatedAt,
                statusHistory, sms, List.of(), null);
    }

    /** A message just created with {@code status} at {@code at}: its history is that one step. */
    public static Message created(String id, String conversationId, String number, Direction direction, String from, String to,
                                  Channel channel, MessageStatus status, MessageContent content, Instant at, SmsDetails sms) {
        return new Message(id, conversationId, number, direction, from, to, channel, status, null, content, false, at, at,
                List.of(new StatusChange(status, at, null)), sms);
    }

    /** An end-to-end encrypted on-net message just created: no content on the server, only its payload's id. */
    public static Message encrypted(String id, String conversationId, String number, Direction direction, String from, String to,
                                    String payloadId, Instant at) {
        return new Message(id, conversationId, number, direction, from, to, Channel.ONNET, MessageStatus.DELIVERED, null,
                new MessageContent(List.of(), List.of(), null), true, at, at,
                List.of(new StatusChange(MessageStatus.DELIVERED, at, null)), null, List.of(), payloadId);
    }
}
