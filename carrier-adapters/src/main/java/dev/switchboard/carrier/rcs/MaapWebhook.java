package dev.switchboard.carrier.rcs;

import static dev.switchboard.carrier.rcs.WebhookFields.parseObject;
import static dev.switchboard.carrier.rcs.WebhookFields.printable;
import static dev.switchboard.carrier.rcs.WebhookFields.requiredString;
import static dev.switchboard.carrier.rcs.WebhookFields.optionalString;
import static dev.switchboard.carrier.rcs.WebhookFields.requiredObject;
import static dev.switchboard.carrier.rcs.WebhookFields.requiredDouble;
import static dev.switchboard.carrier.rcs.WebhookFields.optionalLong;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one GSMA MaaP chatbot webhook request. MaaP defines no signature: carriers secure the
 * webhook with mutual TLS or a source allow-list, and the allow-list is checked here, before the
 * body is read. Events we do not act on are accepted and ignored, so the carrier does not retry them.
 */
public final class MaapWebhook {
    private static final Logger LOG = LoggerFactory.getLogger(MaapWebhook.class);

    private final String providerId;
    private final SourceAllowList allowedSources;

    /** @param allowedSources exact IP addresses or IPv4 CIDR blocks ({@code 10.0.0.0/8}); empty allows any source */
    public MaapWebhook(String providerId, List<String> allowedSources) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.allowedSources = new SourceAllowList(allowedSources);
    }

    /** @param remoteAddress the peer's IP address as the HTTP server saw it */
    public WebhookResult read(String remoteAddress, Buffer body) {
        if (!allowedSources.allows(remoteAddress)) {
            return reject(403, "source_not_allowed", "the request's source address is not allowed");
        }
        JsonObject request = parseObject(body);
        if (request == null) {
            return reject(400, "invalid_json", "the body is not a JSON object");
        }
        try {
            if (!(request.getValue("event") instanceof String event)) {
                throw new WebhookFields.InvalidField("event must be a string");
            }
            return switch (event) {
                case "message" -> message(request);
                case "response" -> response(request);
                case "isTyping" -> typing(request);
                case "messageStatus" -> status(request);
                default -> ignored("event " + event);
            };
        } catch (WebhookFields.InvalidField e) {
            return reject(400, "invalid_event", e.getMessage());
        }
    }

    private WebhookResult message(JsonObject request) {
        String sender = sender(request);
        JsonObject m = rcsMessage(request);
        String msgId = requiredField(m, "msgId");
        String timestamp = optionalField(m, "timestamp");
        RcsInbound.Content content;
        if (m.containsKey("textMessage")) {
            content = new RcsInbound.Text(requiredField(m, "textMessage"));
        } else if (m.containsKey("fileMessage")) {
            JsonObject file = requiredObject(m, "fileMessage", "RCSMessage.fileMessage");
            content = new RcsInbound.File(requiredString(file, "fileUrl", "RCSMessage.fileMessage.fileUrl"),
                    optionalString(file, "fileMIMEType", "RCSMessage.fileMessage.fileMIMEType"),
                    optionalLong(file, "fileSize", "RCSMessage.fileMessage.fileSize"),
                    optionalString(file, "fileName", "RCSMessage.fileMessage.fileName"));
        } else if (m.containsKey("geolocationPushMessage")) {
            JsonObject location = requiredObject(m, "geolocationPushMessage", "RCSMessage.geolocationPushMessage");
            content = new RcsInbound.Location(requiredDouble(location, "latitude", "RCSMessage.geolocationPushMessage.latitude"),
                    requiredDouble(location, "longitude", "RCSMessage.geolocationPushMessage.longitude"));
        } else {
            return ignored("message without text, file or location");
        }
        return events(new RcsInbound.UserMessage("msg:" + msgId, sender, msgId, timestamp, content));
    }

    private WebhookResult response(JsonObject request) {
        String sender = sender(request);
        JsonObject m = rcsMessage(request);
        String msgId = requiredField(m, "msgId");
        JsonObject suggested = requiredObject(m, "suggestedResponse", "RCSMessage.suggestedResponse");
        JsonObject response = requiredObject(suggested, "response", "RCSMessage.suggestedResponse.response");
        // A tapped action chip is reported like a reply, under "action" instead of "reply".
        String kind = response.containsKey("reply") ? "reply" : "action";
        String path = "RCSMessage.suggestedResponse.response." + kind;
        JsonObject chip = requiredObject(response, kind, path);
        String postback = null;
        if (chip.containsKey("postback")) {
            postback = optionalString(requiredObject(chip, "postback", path + ".postback"), "data", path + ".postback.data");
        }
        RcsInbound.Content content = new RcsInbound.SuggestionResponse(postback, optionalString(chip, "displayText", path + ".displayText"));
        return events(new RcsInbound.UserMessage("msg:" + msgId, sender, msgId, optionalField(m, "timestamp"), content));
    }

    private WebhookResult typing(JsonObject request) {
        String sender = sender(request);
        JsonObject m = rcsMessage(request);
        String state = requiredField(m, "isTyping");
        RcsInbound.EventType type = switch (state) {
            case "active" -> RcsInbound.EventType.IS_TYPING;
            case "idle" -> RcsInbound.EventType.TYPING_STOPPED;
            default -> null;
        };
        if (type == null) {
            return ignored("isTyping state " + state);
        }
        // Typing notifications may come without an id; each is then its own event, and a repeat is harmless.
        String msgId = optionalField(m, "msgId");
        String eventId = msgId != null ? msgId : UUID.randomUUID().toString();
        return events(new RcsInbound.UserEvent("typ:" + eventId, sender, type, eventId, null, optionalField(m, "timestamp")));
    }

    private WebhookResult status(JsonObject request) {
        String sender = sender(request);
        JsonObject m = rcsMessage(request);
        String msgId = requiredField(m, "msgId");
        String status = requiredField(m, "status");
        RcsInbound.EventType type = switch (status) {
            case "delivered" -> RcsInbound.EventType.DELIVERED;
            case "displayed" -> RcsInbound.EventType.READ;
            default -> null;
        };
        if (type == null) {
            return ignored("messageStatus " + status);
        }
        // MaaP has no event id: the status of a message happens once, so message and status identify it.
        String eventId = msgId + ":" + status;
        return events(new RcsInbound.UserEvent("evt:" + eventId, sender, type, eventId, msgId, optionalField(m, "timestamp")));
    }

    private static String sender(JsonObject request) {
        return requiredString(requiredObject(request, "messageContact", "messageContact"), "userContact", "messageContact.userContact");
    }

    private static JsonObject rcsMessage(JsonObject request) {
        return requiredObject(request, "RCSMessage", "RCSMessage");
    }

    private WebhookResult ignored(String what) {
        LOG.info("MaaP webhook for provider {}: ignored {}", providerId, printable(what));
        return new WebhookResult.Events(List.of());
    }

    private static WebhookResult events(RcsInbound inbound) {
        return new WebhookResult.Events(List.of(inbound));
    }

    private WebhookResult reject(int status, String error, String message) {
        LOG.warn("MaaP webhook for provider {} rejected: {} {}", providerId, status, error);
        return new WebhookResult.Rejected(status, error, message);
    }

    private static String requiredField(JsonObject o, String field) {
        return requiredString(o, field, "RCSMessage." + field);
    }

    private static String optionalField(JsonObject o, String field) {
        return optionalString(o, field, "RCSMessage." + field);
    }

}
