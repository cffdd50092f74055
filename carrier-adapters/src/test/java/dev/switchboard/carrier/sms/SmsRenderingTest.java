package dev.switchboard.carrier.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every part and suggestion kind as SMS text, and the numbering across card and message suggestions. */
class SmsRenderingTest {
    private final SmsRendering rendering = new SmsRendering(id -> "https://sb.example/m/" + id);

    private String render(List<Part> parts, List<Suggestion> suggestions) {
        return rendering.render(new MessageContent(parts, suggestions, null));
    }

    @Test
    void plainTextIsUnchanged() {
        assertEquals("Ciao, a domani!", rendering.render(MessageContent.text("Ciao, a domani!")));
    }

    @Test
    void partsFollowEachOtherOnNewLines() {
        assertEquals("Here it is\nmenu.pdf: https://sb.example/m/med_1\nAttachment: https://sb.example/m/med_2\nEnjoy",
                render(List.of(new Part.Text("Here it is"), new Part.Media("med_1", "application/pdf", 10, "menu.pdf"),
                        new Part.Media("med_2", "image/jpeg", 20, null), new Part.Text("Enjoy")), List.of()));
    }

    @Test
    void richCardIsItsTitleDescriptionAndMediaLinkSkippingWhatItLacks() {
        assertEquals("Pizza night\nFriday at 8\nhttps://sb.example/m/med_p",
                render(List.of(new Part.RichCard("Pizza night", "Friday at 8", "med_p", List.of())), List.of()));
        assertEquals("Only a description", render(List.of(new Part.RichCard(null, "Only a description", null, List.of())), List.of()));
        assertEquals("Title\nhttps://sb.example/m/m9", render(List.of(new Part.RichCard("Title", null, "m9", List.of())), List.of()));
    }

    @Test
    void carouselCardsAreSeparatedByABlankLine() {
        Part carousel = new Part.Carousel(List.of(new Part.RichCard("One", "first", null, List.of()),
                new Part.RichCard("Two", null, "m2", List.of()), new Part.RichCard(null, "three", null, List.of())));
        assertEquals("Pick one:\nOne\nfirst\n\nTwo\nhttps://sb.example/m/m2\n\nthree",
                render(List.of(new Part.Text("Pick one:"), carousel), List.of()));
    }

    @Test
    void locationIsAMapsLinkAfterItsLabel() {
        assertEquals("Colosseo https://maps.google.com/?q=41.8902,12.4922",
                render(List.of(new Part.Location(41.8902, 12.4922, "Colosseo")), List.of()));
        assertEquals("https://maps.google.com/?q=-33.8688,151",
                render(List.of(new Part.Location(-33.8688, 151.0, null)), List.of()));
    }

    @Test
    void coordinatesArePlainDecimalsWithoutTrailingZerosOrExponent() {
        assertEquals("12", SmsRendering.decimal(12.0));
        assertEquals("10", SmsRendering.decimal(10.0));
        assertEquals("41.9", SmsRendering.decimal(41.90));
        assertEquals("0.00001", SmsRendering.decimal(1e-5));
        assertEquals("-0.5", SmsRendering.decimal(-0.5));
        assertEquals("0", SmsRendering.decimal(0.0));
        assertEquals("0", SmsRendering.decimal(-0.0));
        assertEquals("-180", SmsRendering.decimal(-180.0));
    }

    @Test
    void everySuggestionKindIsNumberedWithItsTarget() {
        List<Suggestion> suggestions = List.of(
                new Suggestion.Reply("Yes", "yes"),
                new Suggestion.Dial("Call us", "+390612345678"),
                new Suggestion.OpenUrl("Website", "https://example.com/menu"),
                new Suggestion.ShowLocation("Find us", 45.4642, 9.19, "Duomo"),
                new Suggestion.ShareLocation("Where are you?"),
                new Suggestion.CalendarEvent("Save the date", "Dinner", "at ours", "2030-05-01T19:00:00Z", "2030-05-01T22:00:00Z"));
        assertEquals("""
                Dinner on Friday?

                1. Yes
                2. Call us (+390612345678)
                3. Website (https://example.com/menu)
                4. Find us (https://maps.google.com/?q=45.4642,9.19)
                5. Where are you?
                6. Save the date (Dinner, 2030-05-01T19:00:00Z)
                Reply with a number.""", render(List.of(new Part.Text("Dinner on Friday?")), suggestions));
    }

    @Test
    void actionsAloneNeedNoReplyHint() {
        assertEquals("Questions?\n\n1. Call us (+390612345678)\n2. Website (https://example.com)",
                render(List.of(new Part.Text("Questions?")), List.of(new Suggestion.Dial("Call us", "+390612345678"),
                        new Suggestion.OpenUrl("Website", "https://example.com"))));
    }

    @Test
    void numberingRunsThroughCardSuggestionsThenTheMessageOnes() {
        Part card = new Part.RichCard("Margherita", "Tomato, mozzarella", "med_m",
                List.of(new Suggestion.Reply("Order", "order:margherita"), new Suggestion.Reply("Details", null)));
        Part carousel = new Part.Carousel(List.of(
                new Part.RichCard("Small", null, null, List.of(new Suggestion.Reply("Small", "size:s"))),
                new Part.RichCard("Large", null, null, List.of(new Suggestion.Reply("Large", "size:l")))));
        MessageContent content = new MessageContent(List.of(card, carousel),
                List.of(new Suggestion.Dial("Call", "+390600000001"), new Suggestion.Reply("Nothing", "none")), null);
        assertEquals(List.of("Order", "Details", "Small", "Large", "Call", "Nothing"),
                content.numberedSuggestions().stream().map(Suggestion::text).toList());
        assertEquals("""
                Margherita
                Tomato, mozzarella
                https://sb.example/m/med_m
                Small

                Large

                1. Order
                2. Details
                3. Small
                4. Large
                5. Call (+390600000001)
                6. Nothing
                Reply with a number.""", rendering.render(content));
    }

    @Test
    void suggestionsAloneStartTheText() {
        assertEquals("1. Yes\n2. No\nReply with a number.",
                render(List.of(), List.of(new Suggestion.Reply("Yes", "y"), new Suggestion.Reply("No", "n"))));
    }

    @Test
    void nothingRendersToEmpty() {
        assertEquals("", render(List.of(), List.of()));
        assertEquals("", render(List.of(new Part.Text("")), List.of()));
    }
}
