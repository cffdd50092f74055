package dev.switchboard.gateway.http;

import dev.switchboard.gateway.stream.TypingNotices;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.json.StrictJson;
import dev.switchboard.inbox.messages.ConversationQueries;
import dev.switchboard.inbox.messages.MessageService;
import dev.switchboard.inbox.model.Conversation;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.PhoneNumber;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Conversation list, message history, read markers and typing notices. */
final class ConversationRoutes {
    private final ConversationQueries queries;
    private final MessageService messages;
    private final TypingNotices typing;

    ConversationRoutes(ConversationQueries queries, MessageService messages, TypingNotices typing) {
        this.queries = queries;
        this.messages = messages;
        this.typing = typing;
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
        return queries.conversations(device.number(), limit, Params.optional(ctx, "cursor"), peer).map(page -> {
            JsonArray out = new JsonArray();
            page.conversations().forEach(c -> out.add(toJson(c)));
            return Reply.ok(new JsonObject().put("conversations", out).put("next", page.next()));
        });
    }

    static JsonObject toJson(Conversation c) {
        return new JsonObject().put("id", c.id()).put("peer", c.peer()).put("channel", c.channel().wire())
                .put("lastMessage", c.lastMessage() == null ? null : MessageJson.toJson(c.lastMessage()))
                .put("unread", c.unread()).put("updatedAt", c.updatedAt().toString())
                .put("unsubscribed", c.unsubscribed());
    }

    private Future<Reply> messages(RoutingContext ctx) {
        Device device = Authenticator.device(ctx);
        int limit = (int) Params.longParam(ctx, "limit", 50, 1, 200);
        return queries.messages(device.number(), ctx.pathParam("id"), Params.optional(ctx, "before"), limit).map(page -> {
            JsonArray out = new JsonArray();
            page.messages().forEach(m -> out.add(MessageJson.toJson(m)));
            return Reply.ok(new JsonObject().put("messages", out).put("next", page.next()));
        });
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
