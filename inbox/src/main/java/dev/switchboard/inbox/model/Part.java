package dev.switchboard.inbox.model;

import java.util.List;

/** One piece of a rich message. */
public sealed interface Part {

    record Text(String text) implements Part {}

    record Media(String mediaId, String contentType, long size, String fileName) implements Part {}

    /** {@code mediaId} may be null for a card without an image. */
    record RichCard(String title, String description, String mediaId, List<Suggestion> suggestions) implements Part {
        public RichCard { suggestions = List.copyOf(suggestions); }
    }

    record Carousel(List<RichCard> cards) implements Part {
        public Carousel { cards = List.copyOf(cards); }
    }

    record Location(double latitude, double longitude, String label) implements Part {}
}
