package dev.switchboard.carrier.rcs;

/**
 * Something a provider told us about a peer, read from a webhook: a user message or a user event.
 * {@code dedupeKey} identifies it at that provider ({@code msg:<messageId>} or
 * {@code evt:<eventId>}), so a redelivered webhook is dropped.
 */
public sealed interface RcsInbound {
    String dedupeKey();

    String sender();

    record UserMessage(String dedupeKey, String sender, String messageId, String sendTime, Content content) implements RcsInbound {}

    /** {@code messageId} is the id of our message the event is about (DELIVERED, READ), else may be null. */
    record UserEvent(String dedupeKey, String sender, EventType type, String eventId, String messageId, String sendTime)
            implements RcsInbound {}

    enum EventType { DELIVERED, READ, IS_TYPING, TYPING_STOPPED, UNSUBSCRIBE, SUBSCRIBE }

    sealed interface Content {}

    record Text(String text) implements Content {}

    /** A file the peer sent; {@code uri} is where the provider lets us download it. */
    record File(String uri, String mimeType, long size, String fileName) implements Content {}

    record Location(double latitude, double longitude) implements Content {}

    /** The peer tapped one of our suggestions. */
    record SuggestionResponse(String postbackData, String text) implements Content {}
}
