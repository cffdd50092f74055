package dev.switchboard.gateway.http;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.json.CanonicalJson;
import dev.switchboard.inbox.json.EncryptedJson;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.json.StrictJson;
import dev.switchboard.inbox.messages.ConversationQueries;
import dev.switchboard.inbox.messages.EncryptedPayloads;
import dev.switchboard.inbox.messages.MessageService;
import dev.switchboard.inbox.messages.RequestedChannel;
import dev.switchboard.inbox.messages.SendRequest;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.persistence.Hashes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/messages}: a device sends, in plaintext or end-to-end encrypted ({@code e2ee});
 * retries with the same Idempotency-Key create nothing new. {@code GET /v1/messages/{id}}: one
 * message of the caller's inbox, as this device reads it.
 */
final class MessageRoutes {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Set<String> PLAINTEXT_FIELDS = Set.of("text", "parts", "suggestions");

    private final MessageService messages;
    private final ConversationQueries queries;
    private final EncryptedPayloads payloads;

    MessageRoutes(MessageService messages, ConversationQueries queries, EncryptedPayloads payloads) {
        this.messages = messages;
        this.queries = queries;
        this.payloads = payloads;
    }

    void mount(Router router, Authenticator auth) {
        router.post("/v1/messages").handler(auth::requireDevice).handler(Replies.of(this::send));
        router.get("/v1/messages/:id").handler(auth::requireDevice).handler(Replies.of(this::one));
    }

    private Future<Reply> one(RoutingContext ctx) {
        var device = Authenticator.device(ctx);
        return queries.message(device.number(), ctx.pathParam("id"))
                .compose(m -> payloads.message(device.id(), MessageJson.toJson(m)))
                .map(Reply::ok);
    }

    /** An encrypted message travels on-net only, so the only channels it may name are those that mean on-net. */
    private static void requireOnNetChannel(StrictJson body) {
        String channel = body.optionalString("channel", 8);
        if (channel != null && !channel.equals("auto") && !channel.equals("onnet")) {
            throw InboxException.invalid("channel", "an end-to-end message travels on-net only: must be auto or onnet");
        }
    }

    /** {@code auto} (the default) lets the gateway choose RCS or SMS off-net; {@code rcs} or {@code sms} force one. */
    private static RequestedChannel channel(StrictJson body) {
        String channel = body.optionalString("channel", 8);
        if (channel == null) {
            return RequestedChannel.AUTO;
        }
        return switch (channel) {
            case "auto" -> RequestedChannel.AUTO;
            case "rcs" -> RequestedChannel.RCS;
            case "sms" -> RequestedChannel.SMS;
            default -> throw InboxException.invalid("channel", "must be auto, rcs or sms");
        };
    }

    private Future<Reply> send(RoutingContext ctx) {
        String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
        if (key == null || key.isBlank() || key.length() > 255) {
            throw new InboxException(InboxException.Kind.INVALID, "idempotency_key_required",
                    "the Idempotency-Key header is required (1 to 255 characters)");
        }
        JsonObject raw = JsonBody.object(ctx);
        StrictJson body = StrictJson.of(raw, "", Set.of("to", "text", "parts", "suggestions", "channel", "e2ee"));
        String to = body.requiredString("to", 32);
        if (body.has("e2ee")) {
            List<String> plaintext = PLAINTEXT_FIELDS.stream().filter(raw::containsKey).sorted().toList();
            if (!plaintext.isEmpty()) {
                throw new InboxException(InboxException.Kind.INVALID, "conflicting_fields",
                        "e2ee: an encrypted message carries its content inside the ciphertext; remove " + String.join(", ", plaintext));
            }
            requireOnNetChannel(body);
            SendRequest request = SendRequest.encrypted(to, EncryptedJson.read(body.raw("e2ee"), "e2ee"), key,
                    Hashes.sha256(CanonicalJson.encode(raw)));
            return messages.send(Authenticator.device(ctx), request).map(result -> Reply.accepted(result.accepted()));
        }
        List<Part> parts = new ArrayList<>();
        String text = body.optionalString("text", 65_536);
        if (text != null) {
            parts.add(new Part.Text(text));
        }
        parts.addAll(body.list("parts", 20, MessageJson::readPart));
        MessageContent content = new MessageContent(parts, body.list("suggestions", 20, MessageJson::readSuggestion), null);
        SendRequest request = new SendRequest(to, content, key, Hashes.sha256(CanonicalJson.encode(raw)), channel(body));
        return messages.send(Authenticator.device(ctx), request).map(result -> Reply.accepted(result.accepted()));
    }
}
