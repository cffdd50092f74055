package dev.switchboard.carrier.rcs;

import static dev.switchboard.carrier.rcs.RbmJson.putIfPresent;

import dev.switchboard.inbox.model.Suggestion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Renders {@link RcsContent} and agent events in the GSMA MaaP chatbot API shape. Absent fields are left out, never null. */
final class MaapJson {
    private MaapJson() {}

    /** {@code now} is when the message is handed over; the expiry counts from it. */
    static JsonObject message(String peer, String msgId, RcsContent content, Duration ttl, Instant now) {
        JsonObject rcsMessage = new JsonObject().put("msgId", msgId);
        putBody(rcsMessage, content.body());
        if (!content.suggestions().isEmpty()) {
            rcsMessage.put("suggestedChipList", new JsonObject().put("suggestions", suggestions(content.suggestions())));
        }
        if (ttl != null && ttl.getSeconds() > 0) {
            rcsMessage.put("expiry", now.plusSeconds(ttl.getSeconds()).truncatedTo(ChronoUnit.SECONDS).toString());
        }
        return envelope(peer, rcsMessage);
    }

    static JsonObject typing(String peer) {
        return envelope(peer, new JsonObject().put("isTyping", "active"));
    }

    /** A status update for one of our messages: {@code displayed} (read receipt) or {@code cancelled} (revoke). */
    static JsonObject status(String status) {
        return new JsonObject().put("RCSMessage", new JsonObject().put("status", status));
    }

    private static JsonObject envelope(String peer, JsonObject rcsMessage) {
        return new JsonObject()
                .put("RCSMessage", rcsMessage)
                .put("messageContact", new JsonObject().put("userContact", peer));
    }

    private static void putBody(JsonObject rcsMessage, RcsContent.Body body) {
        if (body instanceof RcsContent.Text text) {
            rcsMessage.put("textMessage", text.text());
        } else if (body instanceof RcsContent.File file) {
            JsonObject fileMessage = new JsonObject().put("fileUrl", file.url());
            putIfPresent(fileMessage, "fileMIMEType", file.contentType());
            fileMessage.put("fileSize", file.size());
            putIfPresent(fileMessage, "fileName", file.fileName());
            rcsMessage.put("fileMessage", fileMessage);
        } else if (body instanceof RcsContent.StandaloneCard standalone) {
            rcsMessage.put("richcardMessage", richcard("generalPurposeCard", new JsonObject()
                    .put("layout", new JsonObject().put("cardOrientation", "VERTICAL"))
                    .put("content", card(standalone.card()))));
        } else if (body instanceof RcsContent.CarouselCard carousel) {
            JsonArray cards = new JsonArray();
            carousel.cards().forEach(card -> cards.add(card(card)));
            rcsMessage.put("richcardMessage", richcard("generalPurposeCardCarousel", new JsonObject()
                    .put("layout", new JsonObject().put("cardWidth", "MEDIUM_WIDTH"))
                    .put("content", cards)));
        } else {
            throw new IllegalArgumentException("no MaaP shape for a null body");
        }
    }

    private static JsonObject richcard(String kind, JsonObject card) {
        return new JsonObject().put("message", new JsonObject().put(kind, card));
    }

    private static JsonObject card(RcsContent.Card card) {
        JsonObject json = new JsonObject();
        putIfPresent(json, "title", card.title());
        putIfPresent(json, "description", card.description());
        if (card.mediaUrl() != null) {
            JsonObject media = new JsonObject().put("mediaUrl", card.mediaUrl());
            putIfPresent(media, "mediaContentType", card.mediaContentType());
            json.put("media", media.put("height", "MEDIUM_HEIGHT"));
        }
        if (!card.suggestions().isEmpty()) {
            json.put("suggestions", suggestions(card.suggestions()));
        }
        return json;
    }

    private static JsonArray suggestions(List<Suggestion> suggestions) {
        JsonArray array = new JsonArray();
        suggestions.forEach(s -> array.add(suggestion(s)));
        return array;
    }

    static JsonObject suggestion(Suggestion suggestion) {
        if (suggestion instanceof Suggestion.Reply reply) {
            JsonObject json = putIfPresent(new JsonObject(), "displayText", reply.text());
            json.put("postback", postback(reply.postbackData() != null ? reply.postbackData() : reply.text()));
            return new JsonObject().put("reply", json);
        }
        JsonObject action = putIfPresent(new JsonObject(), "displayText", suggestion.text());
        // The action's text comes back as the postback data when tapped, which is how a tap is matched.
        action.put("postback", postback(suggestion.text()));
        if (suggestion instanceof Suggestion.Dial dial) {
            action.put("dialerAction", new JsonObject().put("dialPhoneNumber",
                    putIfPresent(new JsonObject(), "phoneNumber", dial.phoneNumber())));
        } else if (suggestion instanceof Suggestion.OpenUrl open) {
            action.put("urlAction", new JsonObject().put("openUrl", putIfPresent(new JsonObject(), "url", open.url())));
        } else if (suggestion instanceof Suggestion.ShowLocation location) {
            JsonObject where = new JsonObject().put("latitude", location.latitude()).put("longitude", location.longitude());
            putIfPresent(where, "label", location.label());
            action.put("mapAction", new JsonObject().put("showLocation", new JsonObject().put("location", where)));
        } else if (suggestion instanceof Suggestion.ShareLocation) {
            action.put("mapAction", new JsonObject().put("requestLocationPush", new JsonObject()));
        } else if (suggestion instanceof Suggestion.CalendarEvent event) {
            JsonObject create = new JsonObject();
            putIfPresent(create, "startTime", event.startTime());
            putIfPresent(create, "endTime", event.endTime());
            putIfPresent(create, "title", event.title());
            putIfPresent(create, "description", event.description());
            action.put("calendarAction", new JsonObject().put("createCalendarEvent", create));
        } else {
            throw new IllegalArgumentException("no MaaP shape for a null suggestion");
        }
        return new JsonObject().put("action", action);
    }

    private static JsonObject postback(String data) {
        return putIfPresent(new JsonObject(), "data", data);
    }
}
