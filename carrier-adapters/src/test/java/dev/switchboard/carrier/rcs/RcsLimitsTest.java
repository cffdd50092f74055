package dev.switchboard.carrier.rcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RBM's limits: each one at its boundary, with the limit's name, the field's path and its value in the message. */
class RcsLimitsTest {
    private static final String EMOJI = "😀";

    private static String chars(int n) {
        return "a".repeat(n);
    }

    private static MessageContent parts(Part... parts) {
        return new MessageContent(List.of(parts), List.of(), null);
    }

    private static Part.RichCard card(String title, String description, List<Suggestion> suggestions) {
        return new Part.RichCard(title, description, null, suggestions);
    }

    private static List<Suggestion> replies(int n) {
        List<Suggestion> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Suggestion.Reply("r" + i, "p" + i));
        }
        return list;
    }

    private static RcsLimits.Violation violated(MessageContent content, String limit, String field, String value) {
        Optional<RcsLimits.Violation> result = RcsLimits.check(content);
        assertTrue(result.isPresent(), "expected " + limit);
        RcsLimits.Violation v = result.get();
        assertEquals(limit, v.limit(), v::toString);
        assertEquals(field, v.field(), v::toString);
        assertTrue(v.message().contains(value), v.message());
        return v;
    }

    @Test
    void contentWithinEveryLimitPasses() {
        MessageContent content = new MessageContent(List.of(new Part.Text(chars(3072)), card(chars(200), chars(2000), replies(4)),
                new Part.Carousel(Collections.nCopies(10, card("t", "d", replies(4)))),
                new Part.Media("m", "video/mp4", 100L * 1024 * 1024, "v.mp4")), replies(11), null);
        assertEquals(Optional.empty(), RcsLimits.check(content));
        assertEquals(Optional.empty(), RcsLimits.check(new MessageContent(List.of(), List.of(), null)));
    }

    @Test
    void textOverThe3072CharacterLimitIsNamed() {
        RcsLimits.Violation v = violated(MessageContent.text(chars(3073)), "rcs_text_length", "text", "3072");
        assertEquals("a text may have at most 3072 characters", v.message());
        violated(parts(new Part.Text("hi"), new Part.Text(chars(3073))), "rcs_text_length", "parts[1].text", "3072");
    }

    @Test
    void charactersAreCountedAsCodePointsNotUtf16Units() {
        assertEquals(Optional.empty(), RcsLimits.check(MessageContent.text(EMOJI.repeat(3072))));
        violated(MessageContent.text(EMOJI.repeat(3073)), "rcs_text_length", "text", "3072");
        assertEquals(Optional.empty(), RcsLimits.check(parts(card(EMOJI.repeat(200), null, List.of()))));
    }

    @Test
    void cardTitleOver200CharactersNamesTheLimit() {
        RcsLimits.Violation v = violated(parts(card(chars(201), null, List.of())), "rcs_card_title_length", "parts[0].title", "200");
        assertEquals("a card title may have at most 200 characters", v.message());
    }

    @Test
    void cardDescriptionOver2000CharactersNamesTheLimit() {
        violated(parts(card("t", chars(2001), List.of())), "rcs_card_description_length", "parts[0].description", "2000");
    }

    @Test
    void cardWithFiveSuggestionsNamesTheLimit() {
        violated(parts(card("t", null, replies(5))), "rcs_card_suggestions", "parts[0].suggestions", "4");
    }

    @Test
    void messageWithTwelveSuggestionsNamesTheLimit() {
        violated(new MessageContent(List.of(new Part.Text("hi")), replies(12), null), "rcs_suggestions", "suggestions", "11");
    }

    @Test
    void suggestionTextOver25CharactersNamesTheLimit() {
        MessageContent content = new MessageContent(List.of(new Part.Text("hi")),
                List.of(new Suggestion.Reply("ok", "p"), new Suggestion.OpenUrl(chars(26), "https://x.org")), null);
        violated(content, "rcs_suggestion_text_length", "suggestions[1].text", "25");
        assertEquals(Optional.empty(), RcsLimits.check(new MessageContent(List.of(), List.of(new Suggestion.ShareLocation(chars(25))), null)));
    }

    @Test
    void postbackDataOver2048CharactersNamesTheLimit() {
        violated(parts(card("t", null, List.of(new Suggestion.Reply("ok", chars(2049))))), "rcs_postback_length",
                "parts[0].suggestions[0].postbackData", "2048");
        assertEquals(Optional.empty(), RcsLimits.check(new MessageContent(List.of(), List.of(new Suggestion.Reply("ok", chars(2048))), null)));
    }

    @Test
    void carouselOfElevenCardsNamesTheLimit() {
        RcsLimits.Violation v = violated(parts(new Part.Text("hi"), new Part.Carousel(Collections.nCopies(11, card("t", null, List.of())))),
                "rcs_carousel_cards", "parts[1].cards", "10");
        assertTrue(v.message().contains("2 to 10"), v.message());
    }

    @Test
    void carouselOfOneCardNamesTheLimit() {
        violated(parts(new Part.Carousel(List.of(card("t", null, List.of())))), "rcs_carousel_cards", "parts[0].cards", "2 to 10");
    }

    @Test
    void cardInsideACarouselIsCheckedWithItsPath() {
        violated(parts(new Part.Carousel(List.of(card("t", null, List.of()), card(chars(201), null, List.of())))),
                "rcs_card_title_length", "parts[0].cards[1].title", "200");
    }

    @Test
    void fileOver100MegabytesNamesTheLimit() {
        violated(parts(new Part.Media("m", "video/mp4", 100L * 1024 * 1024 + 1, "v.mp4")), "rcs_file_size", "parts[0].size",
                "104857600");
    }

    @Test
    void messageOver250KilobytesOfJsonNamesTheLimit() {
        // Every field is within its own limit; only the whole is too big (4 UTF-8 bytes per emoji).
        Part.Carousel carousel = new Part.Carousel(Collections.nCopies(10, card(EMOJI.repeat(200), EMOJI.repeat(2000), List.of())));
        assertEquals(Optional.empty(), RcsLimits.check(parts(carousel, carousel)));
        violated(parts(carousel, carousel, carousel), "rcs_message_size", "content", "256000");
    }

    @Test
    void theFirstViolationInReadingOrderIsReported() {
        MessageContent content = new MessageContent(List.of(new Part.Text("ok"), card(chars(201), null, List.of()),
                new Part.Text(chars(3073))), replies(12), null);
        violated(content, "rcs_card_title_length", "parts[1].title", "200");
    }
}
