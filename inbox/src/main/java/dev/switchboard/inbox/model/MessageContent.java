package dev.switchboard.inbox.model;

import java.util.List;
import java.util.stream.Collectors;

/** What a message says, independent of who sent it and how it travelled. */
public record MessageContent(List<Part> parts, List<Suggestion> suggestions, InReplyTo inReplyTo) {

    /** The suggestion a user chose, when this message answers one. */
    public record InReplyTo(String postbackData, String text) {}

    public MessageContent {
        parts = List.copyOf(parts);
        suggestions = List.copyOf(suggestions);
    }

    public static MessageContent text(String text) {
        return new MessageContent(List.of(new Part.Text(text)), List.of(), null);
    }

    /** All text parts joined, for previews and for channels that carry only text. */
    public String text() {
        return parts.stream()
                .filter(Part.Text.class::isInstance)
                .map(p -> ((Part.Text) p).text())
                .collect(Collectors.joining("\n"));
    }

    /**
     * Every suggestion in the order a channel without suggestion chips numbers them (the SMS
     * rendering lists them as "1. ...", "2. ..." and a reply "2" picks the second): the suggestions
     * of each rich card first (parts in order, a carousel's cards in order), then the message's own.
     */
    public List<Suggestion> numberedSuggestions() {
        List<Suggestion> all = new java.util.ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Part.RichCard card) {
                all.addAll(card.suggestions());
            } else if (part instanceof Part.Carousel carousel) {
                carousel.cards().forEach(card -> all.addAll(card.suggestions()));
            }
        }
        all.addAll(suggestions);
        return List.copyOf(all);
    }

    /** Every media object the message references, so access to it can follow the message. */
    public List<String> mediaIds() {
        List<String> ids = new java.util.ArrayList<>();
        for (Part part : parts) {
            if (part instanceof Part.Media m) {
                ids.add(m.mediaId());
            } else if (part instanceof Part.RichCard card && card.mediaId() != null) {
                ids.add(card.mediaId());
            } else if (part instanceof Part.Carousel carousel) {
                carousel.cards().stream().map(Part.RichCard::mediaId).filter(java.util.Objects::nonNull).forEach(ids::add);
            }
        }
        return ids.stream().distinct().toList();
    }
}
