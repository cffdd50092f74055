package dev.switchboard.carrier.rcs;

import dev.switchboard.inbox.model.Suggestion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** Renders {@link RcsContent} in the RBM {@code agentMessages} shape. Absent fields are left out, never null. */
final class RbmJson {
    private RbmJson() {}

    static JsonObject message(RcsContent content, Duration ttl) {
        JsonObject message = new JsonObject().put("contentMessage", contentMessage(content));
        if (ttl != null && ttl.getSeconds() > 0) {
            message.put("ttl", ttl.getSeconds() + "s");
        }
        return message;
    }

    static JsonObject contentMessage(RcsContent content) {
        JsonObject message;
        if (content.body() instanceof RcsContent.Text text) {
            message = new JsonObject().put("text", text.text());
        } else if (content.body() instanceof RcsContent.File file) {
            message = new JsonObject().put("contentInfo", contentInfo(file.url()));
        } else if (content.body() instanceof RcsContent.StandaloneCard standalone) {
            message = richCard("standaloneCard", new JsonObject()
                    .put("cardOrientation", "VERTICAL")
                    .put("thumbnailImageAlignment", "LEFT")
                    .put("cardContent", card(standalone.card())));
        } else if (content.body() instanceof RcsContent.CarouselCard carousel) {
            JsonArray cards = new JsonArray();
            carousel.cards().forEach(card -> cards.add(card(card)));
            message = richCard("carouselCard", new JsonObject().put("cardWidth", "MEDIUM").put("cardContents", cards));
        } else {
            throw new IllegalArgumentException("no RBM shape for a null body");
        }
        putSuggestions(message, content.suggestions());
        return message;
    }

    private static JsonObject richCard(String kind, JsonObject card) {
        return new JsonObject().put("richCard", new JsonObject().put(kind, card));
    }

    private static JsonObject card(RcsContent.Card card) {
        JsonObject json = new JsonObject();
        putIfPresent(json, "title", card.title());
        putIfPresent(json, "description", card.description());
        if (card.mediaUrl() != null) {
            json.put("media", new JsonObject().put("height", "MEDIUM").put("contentInfo", contentInfo(card.mediaUrl())));
        }
        putSuggestions(json, card.suggestions());
        return json;
    }

    private static JsonObject contentInfo(String url) {
        // forceRefresh false lets the provider reuse its cached copy of a URL it fetched before.
        return new JsonObject().put("fileUrl", url).put("forceRefresh", false);
    }

    private static void putSuggestions(JsonObject target, List<Suggestion> suggestions) {
        if (!suggestions.isEmpty()) {
            JsonArray array = new JsonArray();
            suggestions.forEach(s -> array.add(suggestion(s)));
            target.put("suggestions", array);
        }
    }

    static JsonObject suggestion(Suggestion suggestion) {
        if (suggestion instanceof Suggestion.Reply reply) {
            JsonObject json = new JsonObject();
            putIfPresent(json, "text", reply.text());
            putIfPresent(json, "postbackData", reply.postbackData() != null ? reply.postbackData() : reply.text());
            return new JsonObject().put("reply", json);
        }
        JsonObject action = new JsonObject();
        putIfPresent(action, "text", suggestion.text());
        // The action's text comes back as postbackData when tapped, which is how a tap is matched.
        putIfPresent(action, "postbackData", suggestion.text());
        if (suggestion instanceof Suggestion.Dial dial) {
            action.put("dialAction", putIfPresent(new JsonObject(), "phoneNumber", dial.phoneNumber()));
        } else if (suggestion instanceof Suggestion.ShowLocation location) {
            JsonObject view = new JsonObject().put("latLong",
                    new JsonObject().put("latitude", location.latitude()).put("longitude", location.longitude()));
            action.put("viewLocationAction", putIfPresent(view, "label", location.label()));
        } else if (suggestion instanceof Suggestion.CalendarEvent event) {
            JsonObject create = new JsonObject();
            putIfPresent(create, "startTime", event.startTime());
            putIfPresent(create, "endTime", event.endTime());
            putIfPresent(create, "title", event.title());
            putIfPresent(create, "description", event.description());
            action.put("createCalendarEventAction", create);
        } else if (suggestion instanceof Suggestion.OpenUrl open) {
            action.put("openUrlAction", putIfPresent(new JsonObject(), "url", open.url()));
        } else if (suggestion instanceof Suggestion.ShareLocation) {
            action.put("shareLocationAction", new JsonObject());
        } else {
            throw new IllegalArgumentException("no RBM shape for a null suggestion");
        }
        return new JsonObject().put("action", action);
    }

    static JsonObject putIfPresent(JsonObject target, String key, Object value) {
        if (value != null) {
            target.put(key, value);
        }
        return target;
    }
}
