package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * RBM's content limits, checked before sending: a provider 400 would read as "the device lacks a
 * feature" and send the message down the degrade-or-fall-back path for a fault that is ours.
 * Lengths count Unicode code points, as the provider does, so an emoji is one character.
 */
public final class RcsLimits {
    public static final int MAX_TEXT = 3072;
    public static final int MAX_CARD_TITLE = 200;
    public static final int MAX_CARD_DESCRIPTION = 2000;
    public static final int MAX_CARD_SUGGESTIONS = 4;
    public static final int MAX_SUGGESTIONS = 11;
    public static final int MAX_SUGGESTION_TEXT = 25;
    public static final int MAX_POSTBACK = 2048;
    public static final int MIN_CAROUSEL_CARDS = 2;
    public static final int MAX_CAROUSEL_CARDS = 10;
    public static final long MAX_FILE_BYTES = 100L * 1024 * 1024;
    public static final int MAX_MESSAGE_BYTES = 250 * 1024;

    /** The first limit the content breaks: which one, the field's path and a message naming the limit's value. */
    public record Violation(String limit, String field, String message) {}

    private RcsLimits() {}

    /** The first violation in reading order (parts, then message suggestions, then overall size), or empty. */
    public static Optional<Violation> check(MessageContent content) {
        List<Part> parts = content.parts();
        for (int i = 0; i < parts.size(); i++) {
            // A message of one text part is what the API's "text" field makes; name that field for it.
            String path = parts.size() == 1 && parts.get(0) instanceof Part.Text ? "" : "parts[" + i + "].";
            Optional<Violation> violation = checkPart(parts.get(i), path);
            if (violation.isPresent()) {
                return violation;
            }
        }
        Optional<Violation> suggestions = checkSuggestions(content.suggestions(), "suggestions", MAX_SUGGESTIONS,
                "rcs_suggestions", "a message may have at most " + MAX_SUGGESTIONS + " suggestions");
        if (suggestions.isPresent()) {
            return suggestions;
        }
        int bytes = MessageJson.contentJson(content).encode().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MESSAGE_BYTES) {
            return violation("rcs_message_size", "content",
                    "a message may have at most " + MAX_MESSAGE_BYTES + " bytes (250 KB) of content, this one has " + bytes);
        }
        return Optional.empty();
    }

    private static Optional<Violation> checkPart(Part part, String path) {
        if (part instanceof Part.Text text) {
            return tooLong(text.text(), MAX_TEXT) ? violation("rcs_text_length", path + "text",
                    "a text may have at most " + MAX_TEXT + " characters") : Optional.empty();
        } else if (part instanceof Part.Media media) {
            return media.size() > MAX_FILE_BYTES ? violation("rcs_file_size", path + "size",
                    "a file may have at most " + MAX_FILE_BYTES + " bytes (100 MB)") : Optional.empty();
        } else if (part instanceof Part.RichCard card) {
            return checkCard(card, path);
        } else if (part instanceof Part.Carousel carousel) {
            int count = carousel.cards().size();
            if (count < MIN_CAROUSEL_CARDS || count > MAX_CAROUSEL_CARDS) {
                return violation("rcs_carousel_cards", path + "cards",
                        "a carousel must have " + MIN_CAROUSEL_CARDS + " to " + MAX_CAROUSEL_CARDS + " cards, this one has " + count);
            }
            for (int k = 0; k < count; k++) {
                Optional<Violation> violation = checkCard(carousel.cards().get(k), path + "cards[" + k + "].");
                if (violation.isPresent()) {
                    return violation;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> checkCard(Part.RichCard card, String path) {
        if (tooLong(card.title(), MAX_CARD_TITLE)) {
            return violation("rcs_card_title_length", path + "title", "a card title may have at most " + MAX_CARD_TITLE + " characters");
        }
        if (tooLong(card.description(), MAX_CARD_DESCRIPTION)) {
            return violation("rcs_card_description_length", path + "description",
                    "a card description may have at most " + MAX_CARD_DESCRIPTION + " characters");
        }
        return checkSuggestions(card.suggestions(), path + "suggestions", MAX_CARD_SUGGESTIONS, "rcs_card_suggestions",
                "a card may have at most " + MAX_CARD_SUGGESTIONS + " suggestions");
    }

    private static Optional<Violation> checkSuggestions(List<Suggestion> suggestions, String path, int max, String limit,
                                                        String message) {
        if (suggestions.size() > max) {
            return violation(limit, path, message);
        }
        for (int j = 0; j < suggestions.size(); j++) {
            Suggestion suggestion = suggestions.get(j);
            String at = path + "[" + j + "].";
            if (tooLong(suggestion.text(), MAX_SUGGESTION_TEXT)) {
                return violation("rcs_suggestion_text_length", at + "text",
                        "a suggestion text may have at most " + MAX_SUGGESTION_TEXT + " characters");
            }
            if (suggestion instanceof Suggestion.Reply reply && tooLong(reply.postbackData(), MAX_POSTBACK)) {
                return violation("rcs_postback_length", at + "postbackData",
                        "a suggestion's postback data may have at most " + MAX_POSTBACK + " characters");
            }
        }
        return Optional.empty();
    }

    private static boolean tooLong(String text, int max) {
        // Cheap exit first: a string of at most max UTF-16 units has at most max code points.
        return text != null && text.length() > max && text.codePointCount(0, text.length()) > max;
    }

    private static Optional<Violation> violation(String limit, String field, String message) {
        return Optional.of(new Violation(limit, field, message));
    }
}
