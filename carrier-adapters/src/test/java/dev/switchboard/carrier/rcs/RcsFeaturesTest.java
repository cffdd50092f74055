package dev.switchboard.carrier.rcs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The handset features a message needs, read from its parts and from every suggestion, wherever it sits. */
class RcsFeaturesTest {
    private static final Suggestion REPLY = new Suggestion.Reply("Yes", "yes");
    private static final Suggestion DIAL = new Suggestion.Dial("Call", "+4930123456");
    private static final Suggestion URL = new Suggestion.OpenUrl("Open", "https://example.org");
    private static final Suggestion SHOW = new Suggestion.ShowLocation("Where", 52.5, 13.4, "Office");
    private static final Suggestion SHARE = new Suggestion.ShareLocation("Share");
    private static final Suggestion CALENDAR = new Suggestion.CalendarEvent("Save", "Dentist", null,
            "2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z");

    private static Part.RichCard card(Suggestion... suggestions) {
        return new Part.RichCard("Title", "Description", null, List.of(suggestions));
    }

    @Test
    void plainTextFilesAndLocationsNeedNothing() {
        MessageContent content = new MessageContent(List.of(new Part.Text("hi"), new Part.Media("m1", "image/png", 10, "a.png"),
                new Part.Location(1, 2, "here")), List.of(), null);
        assertEquals(Set.of(), RcsFeatures.required(content));
    }

    @Test
    void replySuggestionsNeedNothing() {
        assertEquals(Set.of(), RcsFeatures.required(new MessageContent(List.of(new Part.Text("hi")), List.of(REPLY), null)));
    }

    @Test
    void standaloneCardNeedsStandaloneRichCards() {
        assertEquals(Set.of("RICHCARD_STANDALONE"), RcsFeatures.required(new MessageContent(List.of(card(REPLY)), List.of(), null)));
    }

    @Test
    void carouselNeedsCarouselsOnly() {
        MessageContent content = new MessageContent(List.of(new Part.Carousel(List.of(card(), card()))), List.of(), null);
        assertEquals(Set.of("RICHCARD_CAROUSEL"), RcsFeatures.required(content));
    }

    @Test
    void everyActionAtMessageLevelNeedsItsFeature() {
        MessageContent content = new MessageContent(List.of(new Part.Text("hi")), List.of(DIAL, URL, SHOW, SHARE, CALENDAR, REPLY), null);
        assertEquals(Set.of("ACTION_DIAL", "ACTION_OPEN_URL", "ACTION_VIEW_LOCATION", "ACTION_SHARE_LOCATION",
                "ACTION_CREATE_CALENDAR_EVENT"), RcsFeatures.required(content));
    }

    @Test
    void actionsInsideCardsAndCarouselCardsCount() {
        MessageContent content = new MessageContent(List.of(card(DIAL), new Part.Carousel(List.of(card(URL), card(CALENDAR)))),
                List.of(), null);
        assertEquals(Set.of("RICHCARD_STANDALONE", "RICHCARD_CAROUSEL", "ACTION_DIAL", "ACTION_OPEN_URL",
                "ACTION_CREATE_CALENDAR_EVENT"), RcsFeatures.required(content));
    }
}
