package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.model.Suggestion;
import java.util.List;

/**
 * One provider message: exactly one body (RBM's {@code contentMessage} holds one of text, rich card
 * or file) plus the message-level suggestions. A rich-model message with several parts becomes
 * several of these.
 */
public record RcsContent(Body body, List<Suggestion> suggestions) {
    public RcsContent {
        suggestions = List.copyOf(suggestions);
    }

    public sealed interface Body {}

    public record Text(String text) implements Body {}

    /** A file the provider fetches from {@code url} (a signed, expiring gateway URL). */
    public record File(String url, String contentType, long size, String fileName) implements Body {}

    public record StandaloneCard(Card card) implements Body {}

    public record CarouselCard(List<Card> cards) implements Body {
        public CarouselCard { cards = List.copyOf(cards); }
    }

    /** {@code mediaUrl}/{@code mediaContentType} are null for a card without media. */
    public record Card(String title, String description, String mediaUrl, String mediaContentType, List<Suggestion> suggestions) {
        public Card { suggestions = List.copyOf(suggestions); }
    }
}
