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
import java.util.regex.Pattern;
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
    private final List<Source> allowedSources;

    /** @param allowedSources exact IP addresses or IPv4 CIDR blocks ({@code 10.0.0.0/8}); empty allows any source */
    public MaapWebhook(String providerId, List<String> allowedSources) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.allowedSources = allowedSources.stream().map(Source::parse).toList();
    }

    /** @param remoteAddress the peer's IP address as the HTTP server saw it */
    public WebhookResult read(String remoteAddress, Buffer body) {
        if (!allowedSources.isEmpty() && (remoteAddress == null || allowedSources.stream().noneMatch(s -> s.matches(remoteAddress)))) {
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

    /** One allow-list entry: an exact address, or an IPv4 block. */
    private record Source(String exact, int network, int mask) {
        private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
        private static final String MAPPED_PREFIX = "::ffff:";

        static Source parse(String entry) {
            String trimmed = entry.trim();
            int slash = trimmed.indexOf('/');
            if (slash < 0) {
                return new Source(trimmed, 0, 0);
            }
            Integer network = ipv4(trimmed.substring(0, slash));
            int bits;
            try {
                bits = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (network == null || bits < 0 || bits > 32) {
                throw new IllegalArgumentException("allowed source '" + entry + "' is neither an address nor an IPv4 CIDR block");
            }
            int mask = bits == 0 ? 0 : -1 << (32 - bits);
            return new Source(null, network & mask, mask);
        }

        boolean matches(String address) {
            if (exact != null) {
                return exact.equals(address);
            }
            // A dual-stack listener reports IPv4 peers as IPv4-mapped IPv6 addresses.
            String v4 = address.regionMatches(true, 0, MAPPED_PREFIX, 0, MAPPED_PREFIX.length())
                    ? address.substring(MAPPED_PREFIX.length()) : address;
            Integer ip = ipv4(v4);
            return ip != null && (ip & mask) == network;
        }

        /** Parsed by hand: InetAddress would resolve a host name over DNS. */
        private static Integer ipv4(String text) {
            var m = IPV4.matcher(text);
            if (!m.matches()) {
                return null;
            }
            int ip = 0;
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(m.group(i));
                if (octet > 255) {
                    return null;
                }
                ip = (ip << 8) | octet;
            }
            return ip;
        }
    }

}
