package dev.switchboard.carrier.rcs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One provider message per part, in order, with media as gateway links and the message's suggestions on the last. */
class RcsContentMapperTest {
    private static final Suggestion YES = new Suggestion.Reply("Yes", "yes");
    private static final Suggestion CALL = new Suggestion.Dial("Call", "+4930123456");

    private final RcsContentMapper mapper = new RcsContentMapper(mediaId -> "https://gw.example/media/" + mediaId + "?sig=x");

    @Test
    void emptyContentMapsToNothing() {
        assertEquals(List.of(), mapper.map(new MessageContent(List.of(), List.of(), null)));
    }

    @Test
    void textBecomesText() {
        assertEquals(List.of(new RcsContent(new RcsContent.Text("Hallo"), List.of())), mapper.map(MessageContent.text("Hallo")));
    }

    @Test
    void mediaBecomesAFileBehindAGatewayLink() {
        MessageContent content = new MessageContent(List.of(new Part.Media("m-1", "image/jpeg", 5000, "cat.jpg")), List.of(), null);
        assertEquals(List.of(new RcsContent(new RcsContent.File("https://gw.example/media/m-1?sig=x", "image/jpeg", 5000, "cat.jpg"),
                List.of())), mapper.map(content));
    }

    @Test
    void richCardBecomesAStandaloneCardWithItsSuggestions() {
        MessageContent content = new MessageContent(List.of(new Part.RichCard("Title", "Text", "m-2", List.of(CALL))), List.of(), null);
        RcsContent.Card card = new RcsContent.Card("Title", "Text", "https://gw.example/media/m-2?sig=x", null, List.of(CALL));
        assertEquals(List.of(new RcsContent(new RcsContent.StandaloneCard(card), List.of())), mapper.map(content));
    }

    @Test
    void cardWithoutMediaHasNoMediaUrl() {
        MessageContent content = new MessageContent(List.of(new Part.RichCard("Title", null, null, List.of())), List.of(), null);
        RcsContent.StandaloneCard card = (RcsContent.StandaloneCard) mapper.map(content).get(0).body();
        assertEquals(new RcsContent.Card("Title", null, null, null, List.of()), card.card());
    }

    @Test
    void carouselBecomesACarouselCardOfItsCards() {
        MessageContent content = new MessageContent(List.of(new Part.Carousel(List.of(new Part.RichCard("A", null, "m-a", List.of(YES)),
                new Part.RichCard("B", "b", null, List.of())))), List.of(), null);
        RcsContent.CarouselCard carousel = new RcsContent.CarouselCard(List.of(
                new RcsContent.Card("A", null, "https://gw.example/media/m-a?sig=x", null, List.of(YES)),
                new RcsContent.Card("B", "b", null, null, List.of())));
        assertEquals(List.of(new RcsContent(carousel, List.of())), mapper.map(content));
    }

    @Test
    void locationBecomesItsLabelAndAMapsLink() {
        MessageContent labelled = new MessageContent(List.of(new Part.Location(52.52, 13.405, "Office")), List.of(), null);
        assertEquals(new RcsContent.Text("Office https://maps.google.com/?q=52.52,13.405"), mapper.map(labelled).get(0).body());
        MessageContent bare = new MessageContent(List.of(new Part.Location(-0.0001, 100.0, null)), List.of(), null);
        assertEquals(new RcsContent.Text("https://maps.google.com/?q=-0.0001,100"), mapper.map(bare).get(0).body());
    }

    @Test
    void messageSuggestionsGoOnTheLastUnitOnly() {
        MessageContent content = new MessageContent(List.of(new Part.Text("one"), new Part.Media("m", "image/png", 1, "a.png"),
                new Part.Text("three")), List.of(YES, CALL), null);
        List<RcsContent> units = mapper.map(content);
        assertEquals(3, units.size());
        assertEquals(new RcsContent.Text("one"), units.get(0).body());
        assertEquals(List.of(), units.get(0).suggestions());
        assertEquals(List.of(), units.get(1).suggestions());
        assertEquals(new RcsContent.Text("three"), units.get(2).body());
        assertEquals(List.of(YES, CALL), units.get(2).suggestions());
    }
}
