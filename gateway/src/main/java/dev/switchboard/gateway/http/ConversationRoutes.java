package dev.switchboard.gateway.http;

import dev.switchboard.gateway.stream.TypingNotices;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.json.StrictJson;
import dev.switchboard.inbox.messages.ConversationQueries;
import dev.switchboard.inbox.messages.EncryptedPayloads;
import dev.switchboard.inbox.messages.MessageService;
import dev.switchboard.inbox.model.Conversation;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.PhoneNumber;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Conversation list, message history, read markers and typing notices. */
final class ConversationRoutes {
    private final ConversationQueries queries;
    private final MessageService messages;
    private final TypingNotices typing;
    private final EncryptedPayloads payloads;

    ConversationRoutes(ConversationQueries queries, MessageService messages, TypingNotices typing, EncryptedPayloads payloads) {
        this.queries = queries;
        this.messages = messages;
        this.typing = typing;
        this.payloads = payloads;
    }

    void mount(Router router, Authenticator auth) {
        router.get("/v1/conversations").handler(auth::requireDevice).handler(Replies.of(this::list));
        router.get("/v1/conversations/:id/messages").handler(auth::requireDevice).handler(Replies.of(this::messages));
        router.post("/v1/conversations/:id/read").handler(auth::requireDevice).handler(Replies.of(this::read));
        router.post("/v1/conversations/:id/typing").handler(auth::requireDevice).handler(Replies.of(this::typing));
    }

    private Future<Reply> list(RoutingContext ctx) {
        Device device = Authenticator.device(ctx);
        int limit = (int) Params.longParam(ctx, "limit", 50, 1, 200);
        String peer = Params.optional(ctx, "peer");
        if (peer != null) {
            PhoneNumber.require("peer", peer);
        }
        return queries.conversations(device.number(), limit, Params.optional(ctx, "cursor"), peer).compose(page -> {
            List<JsonObject> last = page.conversations().stream().map(Conversation::lastMessage).filter(Objects::nonNull)
                    .map(MessageJson::toJson).toList();
            // Previews of e2ee messages are their encrypted form: the server has nothing else to show.
            return payloads.messages(device.id(), last).map(hydrated -> {
                Iterator<JsonObject> previews = hydrated.iterator();
                JsonArray out = new JsonArray();
                page.conversations().forEach(c -> out.add(toJson(c, c.lastMessage() == null ? null : previews.next())));
                return Reply.ok(new JsonObject().put("conversations", out).put("next", page.next()));
            });
        });
    }

    static JsonObject toJson(Conversation c, JsonObject lastMessage) {
        return new JsonObject().put("id", c.id()).put("peer", c.peer()).put("channel", c.channel().wire())
                .put("lastMessage", lastMessage)
                .put("unread", c.unread()).put("updatedAt", c.updatedAt().toString())
                .put("unsubscribed", c.unsubscribed()).put("e2ee", c.e2ee());
    }

    private Future<Reply> messages(RoutingContext ctx) {
        Device device = Authenticator.device(ctx);
        int limit = (int) Params.longParam(ctx, "limit", 50, 1, 200);
        return queries.messages(device.number(), ctx.pathParam("id"), Params.optional(ctx, "before"), limit).compose(page ->
                payloads.messages(device.id(), page.messages().stream().map(MessageJson::toJson).toList())
                        .map(hydrated -> Reply.ok(new JsonObject().put("messages", new JsonArray(new ArrayList<>(hydrated)))
                                .put("next", page.next()))));
    }

    private Future<Reply> read(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("upTo"));
        return messages.markRead(Authenticator.device(ctx), ctx.pathParam("id"), body.requiredString("upTo", 200))
                .map(v -> Reply.noContent());
    }

    private Future<Reply> typing(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("active"));
        boolean active = body.requiredBoolean("active");
        Device device = Authenticator.device(ctx);
        return queries.typingTarget(device.number(), ctx.pathParam("id"))
                .map(target -> {
                    typing.publish(device, target, active);
                    return Reply.noContent();
                });
    }
}
