package dev.switchboard.gateway.http;

import dev.switchboard.inbox.devices.LinkService;
import dev.switchboard.inbox.json.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Linking a companion: the new device's request, the primary's look at it and approval, the new
 * device's status and completion. There is no server-rendered QR code: the code carries a linking
 * secret the server never sees, so only the new device can draw it.
 */
final class LinkRoutes {
    private final LinkService links;
    private final java.util.function.Consumer<String> onApproved;

    LinkRoutes(LinkService links, java.util.function.Consumer<String> onApproved) {
        this.links = links;
        this.onApproved = onApproved;
    }

    void mount(Router router, Authenticator auth) {
        router.post("/v1/link-requests").handler(Replies.of(this::create));
        router.get("/v1/link-requests/:id/details").handler(auth::requireDevice).handler(Replies.of(this::details));
        router.post("/v1/link-requests/:id/approve").handler(auth::requireDevice).handler(Replies.of(this::approve));
        router.post("/v1/link-requests/:id/complete").handler(Replies.of(this::complete));
        router.get("/v1/link-requests/:id").handler(Replies.of(this::status));
    }

    private Future<Reply> create(RoutingContext ctx) {
        java.util.Set<String> fields = new java.util.HashSet<>(DeviceRoutes.KEY_FIELDS);
        fields.addAll(Set.of("name", "ephemeralKey"));
        StrictJson body = JsonBody.strict(ctx, fields);
        return links.create(body.requiredString("name", 100), DeviceRoutes.keys(body), body.requiredString("ephemeralKey", 64))
                .map(c -> {
                    // The collection secret is in this body and nowhere else.
                    ctx.response().putHeader("Cache-Control", "no-store");
                    return Reply.created(new JsonObject().put("linkId", c.linkId()).put("deviceId", c.deviceId())
                            .put("secret", c.secret()).put("expiresAt", c.expiresAt().toString()));
                });
    }

    private Future<Reply> details(RoutingContext ctx) {
        return links.details(Authenticator.device(ctx), ctx.pathParam("id")).map(d -> Reply.ok(new JsonObject()
                .put("linkId", d.linkId()).put("deviceId", d.deviceId()).put("name", d.name())
                .put("identityKey", d.keys().identityKey()).put("encryptionKey", d.keys().encryptionKey())
                .put("encryptionKeyId", d.keys().encryptionKeyId()).put("encryptionKeySignature", d.keys().encryptionKeySignature())
                .put("ephemeralKey", d.ephemeralKey()).put("expiresAt", d.expiresAt().toString()).put("status", d.status())));
    }

    private Future<Reply> approve(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("accountSignature", "deviceList", "provisioning"));
        String accountSignature = body.requiredString("accountSignature", 128);
        if (body.raw("deviceList") == null) {
            throw new dev.switchboard.inbox.InboxException(dev.switchboard.inbox.InboxException.Kind.INVALID, "missing_field",
                    "deviceList: required");
        }
        return links.approve(Authenticator.device(ctx), ctx.pathParam("id"), accountSignature, DeviceRoutes.nestedList(body),
                        body.requiredString("provisioning", 65_536))
                .map(deviceId -> {
                    onApproved.accept(ctx.pathParam("id"));
                    return Reply.ok(new JsonObject().put("deviceId", deviceId));
                });
    }

    private Future<Reply> complete(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("secret", "deviceSignature"));
        return links.complete(ctx.pathParam("id"), body.requiredString("secret", 128), body.requiredString("deviceSignature", 128))
                .map(c -> {
                    // The token is in this body and nowhere else: it must not be cached on the way.
                    ctx.response().putHeader("Cache-Control", "no-store");
                    return Reply.ok(new JsonObject().put("deviceId", c.deviceId()).put("token", c.token()).put("number", c.number()));
                });
    }

    private Future<Reply> status(RoutingContext ctx) {
        return links.status(ctx.pathParam("id"), ctx.request().getParam("secret")).map(s -> {
            ctx.response().putHeader("Cache-Control", "no-store");
            return Reply.ok(statusJson(s));
        });
    }

    /** The status body, the same on the polling endpoint and the waiting socket. */
    static JsonObject statusJson(LinkService.Status s) {
        JsonObject body = new JsonObject().put("status", s.status());
        if (s.status().equals("approved")) {
            body.put("number", s.number()).put("deviceId", s.deviceId()).put("provisioning", s.provisioning());
        }
        return body;
    }
}
