package dev.switchboard.carrier.rcs;

import io.vertx.core.json.JsonObject;

/** The queued form of a webhook event: written before the provider's 200, read back when it is applied. */
public final class RcsInboundJson {
    private RcsInboundJson() {}

    /**
     * PostgreSQL cannot store U+0000 in text or JSONB; a signed event that carries one is still a valid
     * event, so the character is replaced rather than the event refused.
     */
    public static JsonObject toJson(RcsInbound event) {
        return clean(raw(event));
    }

    private static JsonObject clean(JsonObject json) {
        JsonObject out = new JsonObject();
        json.forEach(e -> out.put(e.getKey(), e.getValue() instanceof String str ? str.replace('\u0000', '\uFFFD')
                : e.getValue() instanceof JsonObject o ? clean(o) : e.getValue()));
        return out;
    }

    private static JsonObject raw(RcsInbound event) {
        JsonObject json = new JsonObject().put("dedupeKey", event.dedupeKey()).put("sender", event.sender());
        if (event instanceof RcsInbound.UserEvent e) {
            return json.put("kind", "event").put("type", e.type().name()).put("eventId", e.eventId()).put("messageId", e.messageId())
                    .put("sendTime", e.sendTime());
        }
        RcsInbound.UserMessage m = (RcsInbound.UserMessage) event;
        json.put("kind", "message").put("messageId", m.messageId()).put("sendTime", m.sendTime());
        if (m.content() instanceof RcsInbound.Text t) {
            json.put("text", t.text());
        } else if (m.content() instanceof RcsInbound.File f) {
            json.put("file", new JsonObject().put("uri", f.uri()).put("mimeType", f.mimeType()).put("size", f.size())
                    .put("fileName", f.fileName()));
        } else if (m.content() instanceof RcsInbound.Location l) {
            json.put("location", new JsonObject().put("latitude", l.latitude()).put("longitude", l.longitude()));
        } else if (m.content() instanceof RcsInbound.SuggestionResponse r) {
            json.put("suggestionResponse", new JsonObject().put("postbackData", r.postbackData()).put("text", r.text()));
        }
        return json;
    }

    public static RcsInbound fromJson(JsonObject json) {
        String key = json.getString("dedupeKey");
        String sender = json.getString("sender");
        if ("event".equals(json.getString("kind"))) {
            return new RcsInbound.UserEvent(key, sender, RcsInbound.EventType.valueOf(json.getString("type")), json.getString("eventId"),
                    json.getString("messageId"), json.getString("sendTime"));
        }
        RcsInbound.Content content;
        if (json.containsKey("text")) {
            content = new RcsInbound.Text(json.getString("text"));
        } else if (json.containsKey("file")) {
            JsonObject f = json.getJsonObject("file");
            content = new RcsInbound.File(f.getString("uri"), f.getString("mimeType"), f.getLong("size", 0L), f.getString("fileName"));
        } else if (json.containsKey("location")) {
            JsonObject l = json.getJsonObject("location");
            content = new RcsInbound.Location(l.getDouble("latitude"), l.getDouble("longitude"));
        } else {
            JsonObject r = json.getJsonObject("suggestionResponse");
            content = new RcsInbound.SuggestionResponse(r.getString("postbackData"), r.getString("text"));
        }
        return new RcsInbound.UserMessage(key, sender, json.getString("messageId"), json.getString("sendTime"), content);
    }
}
