package dev.switchboard.inbox.json;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.SmsDetails;
import dev.switchboard.inbox.model.StatusChange;
import dev.switchboard.inbox.model.Suggestion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Maps the rich-message model to and from its one JSON form. Reading is strict: unknown fields,
 * wrong types and out-of-range values fail with the field's path.
 */
public final class MessageJson {
    public static final int MAX_TEXT = 65_536;
    public static final int MAX_SHORT = 2_048;
    static final int MAX_PARTS = 20;
    // The model's own bounds are generous: what a channel can carry (RBM's 11 suggestions, 25-character
    // chips, 200-character titles, 2 to 10 cards) is checked when the channel is chosen, naming its limit.
    static final int MAX_SUGGESTIONS = 20;
    static final int MAX_CARDS = 20;
    static final int MAX_LABEL = 255;
    public static final int MAX_POSTBACK = 4_096;

    private MessageJson() {}

    /**
     * The message as devices receive it. An end-to-end encrypted message has no content here: its
     * JSON names its stored payload ({@value #PAYLOAD_REFERENCE}), which {@code EncryptedPayloads}
     * replaces with the reading device's {@code encrypted} object, so sync events store only the reference.
     */
    public static JsonObject toJson(Message m) {
        MessageContent c = m.content();
        JsonObject json = new JsonObject()
                .put("id", m.id())
                .put("conversationId", m.conversationId())
                .put("direction", m.direction().wire())
                .put("from", m.from())
                .put("to", m.to())
                .put("channel", m.channel().wire())
                .put("status", m.status().wire())
                .put("statusReason", m.statusReason())
                .put("text", m.e2ee() ? null : c.text())
                .put("parts", partsJson(c.parts()))
                .put("suggestions", suggestionsJson(c.suggestions()))
                .put("inReplyTo", c.inReplyTo() == null ? null
                        : new JsonObject().put("postbackData", c.inReplyTo().postbackData()).put("text", c.inReplyTo().text()))
                .put("e2ee", m.e2ee())
                .put("createdAt", m.createdAt().toString())
                .put("updatedAt", m.updatedAt().toString())
                .put("statusHistory", statusHistoryJson(m.statusHistory()))
                .put("sms", smsJson(m.sms()))
                .put("attempts", attemptsJson(m.attempts()));
        if (m.e2ee()) {
            json.put(PAYLOAD_REFERENCE, m.payloadId());
        }
        return json;
    }

    /** The field of a stored e2ee message's JSON that names its payload, until a reader's view replaces it. */
    public static final String PAYLOAD_REFERENCE = "payloadId";

    /** {@code [{"status", "at", "reason"}]}, oldest first; {@code reason} is null unless the step has one. */
    static JsonArray statusHistoryJson(List<StatusChange> history) {
        JsonArray array = new JsonArray();
        history.forEach(step -> array.add(new JsonObject().put("status", step.status().wire()).put("at", step.at().toString())
                .put("reason", step.reason())));
        return array;
    }

    /** {@code [{"channel", "provider", "result", "reason", "at"}]}, oldest first. */
    public static JsonArray attemptsJson(List<dev.switchboard.inbox.model.DeliveryAttempt> attempts) {
        JsonArray array = new JsonArray();
        attempts.forEach(a -> array.add(attemptJson(a)));
        return array;
    }

    public static JsonObject attemptJson(dev.switchboard.inbox.model.DeliveryAttempt a) {
        return new JsonObject().put("channel", a.channel().wire()).put("provider", a.provider()).put("result", a.result())
                .put("reason", a.reason()).put("at", a.at().toString());
    }

    /** {@code {"segments", "encoding", "carrier"}}, or null when the message did not (yet) travel as SMS. */
    static JsonObject smsJson(SmsDetails sms) {
        return sms == null ? null
                : new JsonObject().put("segments", sms.segments()).put("encoding", sms.encoding()).put("carrier", sms.carrier());
    }

    /** The stored form of the content: parts, suggestions and the answered suggestion. */
    public static JsonObject contentJson(MessageContent c) {
        JsonObject json = new JsonObject().put("parts", partsJson(c.parts())).put("suggestions", suggestionsJson(c.suggestions()));
        if (c.inReplyTo() != null) {
            json.put("inReplyTo", new JsonObject().put("postbackData", c.inReplyTo().postbackData()).put("text", c.inReplyTo().text()));
        }
        return json;
    }

    public static MessageContent contentFromJson(JsonObject stored) {
        StrictJson r = StrictJson.of(stored, "", Set.of("parts", "suggestions", "inReplyTo"));
        List<Part> parts = r.list("parts", MAX_PARTS, MessageJson::readPart);
        List<Suggestion> suggestions = r.list("suggestions", MAX_SUGGESTIONS, MessageJson::readSuggestion);
        MessageContent.InReplyTo inReplyTo = null;
        if (r.has("inReplyTo")) {
            StrictJson i = StrictJson.of(r.raw("inReplyTo"), r.path("inReplyTo"), Set.of("postbackData", "text"));
            inReplyTo = new MessageContent.InReplyTo(i.optionalString("postbackData", MAX_POSTBACK), i.optionalString("text", MAX_SHORT));
        }
        return new MessageContent(parts, suggestions, inReplyTo);
    }

    static JsonArray partsJson(List<Part> parts) {
        JsonArray array = new JsonArray();
        parts.forEach(p -> array.add(partJson(p)));
        return array;
    }

    static JsonArray suggestionsJson(List<Suggestion> suggestions) {
        JsonArray array = new JsonArray();
        suggestions.forEach(s -> array.add(suggestionJson(s)));
        return array;
    }

    static JsonObject partJson(Part part) {
        if (part instanceof Part.Text t) {
            return new JsonObject().put("type", "text").put("text", t.text());
        } else if (part instanceof Part.Media m) {
            return new JsonObject().put("type", "media").put("mediaId", m.mediaId()).put("contentType", m.contentType())
                    .put("size", m.size()).put("fileName", m.fileName());
        } else if (part instanceof Part.RichCard c) {
            return new JsonObject().put("type", "richCard").put("title", c.title()).put("description", c.description())
                    .put("media", c.mediaId() == null ? null : new JsonObject().put("mediaId", c.mediaId()))
                    .put("suggestions", suggestionsJson(c.suggestions()));
        } else if (part instanceof Part.Carousel c) {
            JsonArray cards = new JsonArray();
            c.cards().forEach(card -> cards.add(partJson(card)));
            return new JsonObject().put("type", "carousel").put("cards", cards);
        } else if (part instanceof Part.Location l) {
            return new JsonObject().put("type", "location").put("latitude", l.latitude()).put("longitude", l.longitude())
                    .put("label", l.label());
        }
        throw new IllegalArgumentException("unknown part " + part);
    }

    static JsonObject suggestionJson(Suggestion s) {
        JsonObject json = new JsonObject().put("text", s.text());
        if (s instanceof Suggestion.Reply r) {
            return json.put("type", "reply").put("postbackData", r.postbackData());
        } else if (s instanceof Suggestion.OpenUrl u) {
            return json.put("type", "openUrl").put("url", u.url());
        } else if (s instanceof Suggestion.Dial d) {
            return json.put("type", "dial").put("phoneNumber", d.phoneNumber());
        } else if (s instanceof Suggestion.ShowLocation l) {
            return json.put("type", "showLocation").put("latitude", l.latitude()).put("longitude", l.longitude()).put("label", l.label());
        } else if (s instanceof Suggestion.ShareLocation) {
            return json.put("type", "shareLocation");
        } else if (s instanceof Suggestion.CalendarEvent c) {
            return json.put("type", "calendarEvent").put("title", c.title()).put("description", c.description())
                    .put("startTime", c.startTime()).put("endTime", c.endTime());
        }
        throw new IllegalArgumentException("unknown suggestion " + s);
    }

    public static Part readPart(Object value, String path) {
        String type = typeOf(value, path);
        switch (type) {
            case "text": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "text"));
                return new Part.Text(r.requiredString("text", MAX_TEXT));
            }
            case "media": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "mediaId", "contentType", "size", "fileName"));
                Long size = r.optionalLong("size", 0, Long.MAX_VALUE);
                return new Part.Media(r.requiredString("mediaId", 200), r.optionalString("contentType", 255),
                        size == null ? 0 : size, r.optionalString("fileName", 255));
            }
            case "richCard":
                return readCard(value, path);
            case "carousel": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "cards"));
                List<Part.RichCard> cards = r.list("cards", MAX_CARDS, MessageJson::readCard);
                if (cards.isEmpty()) {
                    throw InboxException.invalid(r.path("cards"), "a carousel needs 1 to " + MAX_CARDS + " cards");
                }
                return new Part.Carousel(cards);
            }
            case "location": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "latitude", "longitude", "label"));
                return new Part.Location(r.requiredDouble("latitude", -90, 90), r.requiredDouble("longitude", -180, 180),
                        r.optionalString("label", MAX_SHORT));
            }
            default:
                throw InboxException.invalid(path + ".type", "unknown part type '" + type + "'");
        }
    }

    static Part.RichCard readCard(Object value, String path) {
        String type = typeOf(value, path);
        if (!type.equals("richCard")) {
            throw InboxException.invalid(path + ".type", "must be 'richCard'");
        }
        StrictJson r = StrictJson.of(value, path, Set.of("type", "title", "description", "media", "suggestions"));
        String mediaId = null;
        if (r.has("media")) {
            mediaId = StrictJson.of(r.raw("media"), r.path("media"), Set.of("mediaId")).requiredString("mediaId", 200);
        }
        String title = r.optionalString("title", MAX_LABEL);
        String description = r.optionalString("description", MAX_SHORT);
        if (title == null && description == null && mediaId == null) {
            throw InboxException.invalid(path, "a rich card needs a title, a description or media");
        }
        return new Part.RichCard(title, description, mediaId, r.list("suggestions", MAX_SUGGESTIONS, MessageJson::readSuggestion));
    }

    public static Suggestion readSuggestion(Object value, String path) {
        String type = typeOf(value, path);
        switch (type) {
            case "reply": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "text", "postbackData"));
                return new Suggestion.Reply(r.requiredString("text", MAX_LABEL), r.optionalString("postbackData", MAX_POSTBACK));
            }
            case "openUrl": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "text", "url"));
                String url = r.requiredString("url", MAX_SHORT);
                if (!(url.startsWith("https://") || url.startsWith("http://"))) {
                    throw InboxException.invalid(r.path("url"), "must be an http or https URL");
                }
                return new Suggestion.OpenUrl(r.requiredString("text", MAX_LABEL), url);
            }
            case "dial": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "text", "phoneNumber"));
                String phone = r.requiredString("phoneNumber", 32);
                dev.switchboard.inbox.model.PhoneNumber.require(r.path("phoneNumber"), phone);
                return new Suggestion.Dial(r.requiredString("text", MAX_LABEL), phone);
            }
            case "showLocation": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "text", "latitude", "longitude", "label"));
                return new Suggestion.ShowLocation(r.requiredString("text", MAX_LABEL), r.requiredDouble("latitude", -90, 90),
                        r.requiredDouble("longitude", -180, 180), r.optionalString("label", MAX_SHORT));
            }
            case "shareLocation": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "text"));
                return new Suggestion.ShareLocation(r.requiredString("text", MAX_LABEL));
            }
            case "calendarEvent": {
                StrictJson r = StrictJson.of(value, path, Set.of("type", "text", "title", "description", "startTime", "endTime"));
                String start = requireTime(r, "startTime");
                String end = requireTime(r, "endTime");
                return new Suggestion.CalendarEvent(r.requiredString("text", MAX_LABEL), r.requiredString("title", MAX_LABEL),
                        r.optionalString("description", MAX_SHORT), start, end);
            }
            default:
                throw InboxException.invalid(path + ".type", "unknown suggestion type '" + type + "'");
        }
    }

    private static String requireTime(StrictJson r, String field) {
        String value = r.requiredString(field, 64);
        try {
            return java.time.OffsetDateTime.parse(value).toInstant().toString();
        } catch (java.time.format.DateTimeParseException e) {
            throw InboxException.invalid(r.path(field), "must be an RFC 3339 time");
        }
    }

    private static String typeOf(Object value, String path) {
        if (!(value instanceof JsonObject obj)) {
            throw StrictJson.wrongType(path, "an object");
        }
        Object type = obj.getValue("type");
        if (!(type instanceof String s)) {
            throw InboxException.invalid(path + ".type", "required string");
        }
        return s;
    }
}
