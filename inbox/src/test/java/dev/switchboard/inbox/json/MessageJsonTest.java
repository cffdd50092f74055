package dev.switchboard.inbox.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.Suggestion;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageJsonTest {
    @Test
    void everyPartAndSuggestionSurvivesARoundTrip() {
        Part.RichCard card = new Part.RichCard("Title", "Desc", "med_1", List.of(
                new Suggestion.Reply("Yes", "yes"), new Suggestion.OpenUrl("Site", "https://example.com")));
        MessageContent content = new MessageContent(List.of(
                new Part.Text("hello"),
                new Part.Media("med_2", "image/png", 10, "a.png"),
                card,
                new Part.Carousel(List.of(card, new Part.RichCard("Two", null, null, List.of()))),
                new Part.Location(41.9, 12.5, "Rome")),
                List.of(new Suggestion.Dial("Call", "+390612345678"),
                        new Suggestion.ShowLocation("Map", 1.5, 2.5, "here"),
                        new Suggestion.ShareLocation("Share"),
                        new Suggestion.CalendarEvent("Add", "Meet", "desc", "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z")),
                new MessageContent.InReplyTo("yes", "Yes"));
        JsonObject json = MessageJson.contentJson(content);
        MessageContent back = MessageJson.contentFromJson(new JsonObject(json.encode()));
        assertEquals(content, back);
        assertEquals("hello", back.text());
        assertEquals(List.of("med_2", "med_1"), back.mediaIds());
    }

    @Test
    void unknownFieldIsRejectedWithItsPath() {
        JsonObject bad = new JsonObject().put("parts", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "x"))
                .add(new JsonObject().put("type", "location").put("latitude", 1).put("longitude", 2).put("altitude", 3)));
        InboxException e = assertThrows(InboxException.class, () -> MessageJson.contentFromJson(bad));
        assertEquals("unknown_field", e.code());
        assertTrue(e.getMessage().startsWith("parts[1].altitude"), e.getMessage());
    }

    @Test
    void wrongTypesAndRangesNameTheField() {
        InboxException type = assertThrows(InboxException.class,
                () -> MessageJson.readPart(new JsonObject().put("type", "text").put("text", 5), "parts[0]"));
        assertTrue(type.getMessage().startsWith("parts[0].text"), type.getMessage());
        InboxException range = assertThrows(InboxException.class, () -> MessageJson.readPart(
                new JsonObject().put("type", "location").put("latitude", 91).put("longitude", 0), "parts[0]"));
        assertTrue(range.getMessage().startsWith("parts[0].latitude"), range.getMessage());
        InboxException url = assertThrows(InboxException.class, () -> MessageJson.readSuggestion(
                new JsonObject().put("type", "openUrl").put("text", "x").put("url", "javascript:alert(1)"), "suggestions[0]"));
        assertTrue(url.getMessage().startsWith("suggestions[0].url"), url.getMessage());
    }
}
