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
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one RBM webhook request: the set-up handshake, or a Pub/Sub push envelope whose
 * {@code message.data} carries a user message or a user event.
 *
 * <p>The {@code X-Goog-Signature} is checked over the decoded data before that data is parsed, so
 * nothing an unauthenticated caller wrote is interpreted beyond the envelope. A payload of a kind
 * we do not know is accepted and ignored rather than rejected: the provider retries any non-200 for
 * seven days on a queue shared by all agents of the partner, so refusing it would only clog that queue.
 */
public final class RbmWebhook {
    private static final Logger LOG = LoggerFactory.getLogger(RbmWebhook.class);
    private static final String HMAC = "HmacSHA512";
    /** Fields every user message has; anything else names its kind. */
    private static final Set<String> MESSAGE_FIELDS = Set.of("senderPhoneNumber", "messageId", "sendTime", "agentId");

    private final String providerId;
    private final byte[] clientToken;
    private final String agentId;

    public RbmWebhook(String providerId, String clientToken) {
        this(providerId, clientToken, null);
    }

    /**
     * @param agentId the agent this provider entry speaks for; events naming another agent are
     *                ignored (a partner's webhook carries all of its agents' events). Null accepts any.
     */
    public RbmWebhook(String providerId, String clientToken, String agentId) {
        this.agentId = agentId;
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(clientToken, "clientToken");
        if (clientToken.isEmpty()) {
            // An empty HMAC key would make every signature forgeable by anyone who guesses it.
            throw new IllegalArgumentException("clientToken must not be empty");
        }
        this.clientToken = clientToken.getBytes(StandardCharsets.UTF_8);
    }

    /** @param signatureHeader the {@code X-Goog-Signature} header, null when absent */
    public WebhookResult read(String signatureHeader, Buffer body) {
        JsonObject request = parseObject(body);
        if (request == null) {
            return reject(400, "invalid_json", "the body is not a JSON object");
        }
        if (request.containsKey("clientToken") && request.containsKey("secret") && !request.containsKey("message")) {
            return handshake(request);
        }
        if (!(request.getValue("message") instanceof JsonObject message) || !(message.getValue("data") instanceof String data)) {
            return reject(400, "invalid_envelope", "a Pub/Sub push envelope with message.data (a string) is required");
        }
        byte[] decoded = decodeBase64(data);
        if (decoded == null) {
            return reject(400, "invalid_base64", "message.data is not valid base64");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return reject(401, "missing_signature", "the X-Goog-Signature header is required");
        }
        if (!signatureMatches(signatureHeader.trim(), decoded)) {
            return reject(401, "invalid_signature", "X-Goog-Signature does not match message.data");
        }
        JsonObject payload = parseObject(Buffer.buffer(decoded));
        if (payload == null) {
            return reject(400, "invalid_json", "message.data is not a base64-encoded JSON object");
        }
        try {
            return payload.containsKey("eventType") ? userEvent(payload) : userMessage(payload);
        } catch (WebhookFields.InvalidField e) {
            return reject(400, "invalid_event", e.getMessage());
        }
    }

    private WebhookResult handshake(JsonObject request) {
        if (!(request.getValue("clientToken") instanceof String token)
                || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), clientToken)) {
            return reject(403, "invalid_client_token", "the client token does not match");
        }
        if (!(request.getValue("secret") instanceof String secret)) {
            return reject(400, "invalid_envelope", "secret must be a string");
        }
        LOG.info("RBM webhook handshake answered for provider {}", providerId);
        return new WebhookResult.Handshake(secret);
    }

    private boolean signatureMatches(String header, byte[] data) {
        byte[] given = decodeBase64(header);
        if (given == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(clientToken, HMAC));
            return MessageDigest.isEqual(mac.doFinal(data), given);
        } catch (GeneralSecurityException e) {
            // HmacSHA512 is mandatory in every JRE; reaching this is a broken runtime, not a bad request.
            throw new IllegalStateException("HmacSHA512 unavailable", e);
        }
    }

    /** Another agent's event, ignored with a log line: applied here it would land in the wrong inbox. */
    private boolean otherAgent(String named) {
        if (agentId == null || named == null || named.equals(agentId)) {
            return false;
        }
        LOG.info("RBM webhook for provider {}: ignored an event for agent {}, not ours", providerId, printable(named));
        return true;
    }

    private WebhookResult userEvent(JsonObject p) {
        String sender = requiredField(p, "senderPhoneNumber");
        String type = requiredField(p, "eventType");
        String eventId = requiredField(p, "eventId");
        String messageId = optionalField(p, "messageId");
        String sendTime = optionalField(p, "sendTime");
        if (otherAgent(optionalField(p, "agentId"))) {
            return new WebhookResult.Events(List.of());
        }
        RcsInbound.EventType known = switch (type) {
            case "DELIVERED" -> RcsInbound.EventType.DELIVERED;
            case "READ" -> RcsInbound.EventType.READ;
            case "IS_TYPING" -> RcsInbound.EventType.IS_TYPING;
            case "UNSUBSCRIBE" -> RcsInbound.EventType.UNSUBSCRIBE;
            case "SUBSCRIBE" -> RcsInbound.EventType.SUBSCRIBE;
            default -> null;
        };
        if (known == null) {
            LOG.info("RBM webhook for provider {}: ignored user event of unknown type {}", providerId, printable(type));
            return new WebhookResult.Events(List.of());
        }
        return events(new RcsInbound.UserEvent("evt:" + eventId, sender, known, eventId, messageId, sendTime));
    }

    private WebhookResult userMessage(JsonObject p) {
        String sender = requiredField(p, "senderPhoneNumber");
        String messageId = requiredField(p, "messageId");
        String sendTime = optionalField(p, "sendTime");
        if (otherAgent(optionalField(p, "agentId"))) {
            return new WebhookResult.Events(List.of());
        }
        RcsInbound.Content content;
        if (p.containsKey("text")) {
            content = new RcsInbound.Text(requiredField(p, "text"));
        } else if (p.containsKey("userFile")) {
            content = userFile(requiredObject(p, "userFile", "userFile"));
        } else if (p.containsKey("location")) {
            JsonObject location = requiredObject(p, "location", "location");
            content = new RcsInbound.Location(requiredDouble(location, "latitude", "location.latitude"),
                    requiredDouble(location, "longitude", "location.longitude"));
        } else if (p.containsKey("suggestionResponse")) {
            JsonObject response = requiredObject(p, "suggestionResponse", "suggestionResponse");
            content = new RcsInbound.SuggestionResponse(optionalString(response, "postbackData", "suggestionResponse.postbackData"),
                    optionalString(response, "text", "suggestionResponse.text"));
        } else {
            Set<String> kind = new TreeSet<>(p.fieldNames());
            kind.removeAll(MESSAGE_FIELDS);
            LOG.info("RBM webhook for provider {}: ignored user message of unknown kind {}", providerId, printable(kind.toString()));
            return new WebhookResult.Events(List.of());
        }
        return events(new RcsInbound.UserMessage("msg:" + messageId, sender, messageId, sendTime, content));
    }

    private static RcsInbound.File userFile(JsonObject file) {
        JsonObject payload = requiredObject(file, "payload", "userFile.payload");
        return new RcsInbound.File(requiredString(payload, "fileUri", "userFile.payload.fileUri"),
                optionalString(payload, "mimeType", "userFile.payload.mimeType"),
                optionalLong(payload, "fileSizeBytes", "userFile.payload.fileSizeBytes"),
                optionalString(payload, "fileName", "userFile.payload.fileName"));
    }

    private static WebhookResult events(RcsInbound inbound) {
        return new WebhookResult.Events(List.of(inbound));
    }

    private WebhookResult reject(int status, String error, String message) {
        LOG.warn("RBM webhook for provider {} rejected: {} {}", providerId, status, error);
        return new WebhookResult.Rejected(status, error, message);
    }

    /** Standard alphabet, or the URL-safe one some proxies re-encode to; null when neither decodes. */
    private static byte[] decodeBase64(String text) {
        try {
            boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String requiredField(JsonObject o, String field) {
        return requiredString(o, field, field);
    }

    private static String optionalField(JsonObject o, String field) {
        return optionalString(o, field, field);
    }

}
