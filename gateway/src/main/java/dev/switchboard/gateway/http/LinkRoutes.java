package dev.switchboard.gateway.http;

import dev.switchboard.inbox.devices.LinkService;
import dev.switchboard.inbox.json.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Linking a companion: the new device's request, its QR code, the primary's approval, the hand-out. */
final class LinkRoutes {
    private final LinkService links;
    private final java.util.function.Consumer<String> onApproved;

    LinkRoutes(LinkService links, java.util.function.Consumer<String> onApproved) {
        this.links = links;
        this.onApproved = onApproved;
    }

    void mount(Router router, Authenticator auth) {
        router.post("/v1/link-requests").handler(Replies.of(this::create));
        router.get("/v1/link-requests/:id/qr.svg").handler(this::qr);
        router.post("/v1/link-requests/:id/approve").handler(auth::requireDevice).handler(Replies.of(this::approve));
        router.get("/v1/link-requests/:id").handler(Replies.of(this::status));
    }

    private Future<Reply> create(RoutingContext ctx) {
        java.util.Set<String> fields = new java.util.HashSet<>(DeviceRoutes.KEY_FIELDS);
        fields.addAll(Set.of("name", "ephemeralKey"));
        StrictJson body = JsonBody.strict(ctx, fields);
        return links.create(body.requiredString("name", 100), DeviceRoutes.keys(body), body.requiredString("ephemeralKey", 64))
                .map(c -> Reply.created(new JsonObject().put("linkId", c.linkId()).put("secret", c.secret()).put("qr", c.qr())
                        .put("expiresAt", c.expiresAt().toString())));
    }

    private void qr(RoutingContext ctx) {
        links.qrText(ctx.pathParam("id"))
                .onSuccess(text -> ctx.response().putHeader("Content-Type", "image/svg+xml")
                        .putHeader("Cache-Control", "no-store").end(QrSvg.render(text)))
                .onFailure(e -> Replies.fail(ctx, e));
    }

    private Future<Reply> approve(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("accountSignature", "provisioning"));
        return links.approve(Authenticator.device(ctx), ctx.pathParam("id"), body.requiredString("accountSignature", 512),
                        body.requiredString("provisioning", 65_536))
                .map(deviceId -> {
                    onApproved.accept(ctx.pathParam("id"));
                    return Reply.ok(new JsonObject().put("deviceId", deviceId));
                });
    }

    private Future<Reply> status(RoutingContext ctx) {
        return links.collect(ctx.pathParam("id"), ctx.request().getParam("secret")).map(s -> {
            JsonObject body = new JsonObject().put("status", s.status());
            if (s.token() != null) {
                body.put("deviceId", s.deviceId()).put("token", s.token()).put("number", s.number()).put("provisioning", s.provisioning());
                // The token is in this body and nowhere else: it must not be cached on the way.
                ctx.response().putHeader("Cache-Control", "no-store");
            }
            return Reply.ok(body);
        });
    }
}
