package dev.switchboard.gateway.stream;

import dev.switchboard.gateway.http.Replies;
import dev.switchboard.inbox.devices.LinkService;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code GET /v1/link-requests/{id}/stream?secret=}: the new device waits on a WebSocket instead of
 * polling. It receives one frame, the same body the polling endpoint gives once the request is no
 * longer pending ({@code approved} with the token, or {@code expired}), and the socket closes.
 */
public final class LinkWaitRoute {
    private final Vertx vertx;
    private final LinkService links;
    private final Duration linkTtl;

    public LinkWaitRoute(Vertx vertx, LinkService links, Duration linkTtl) {
        this.vertx = vertx;
        this.links = links;
        this.linkTtl = linkTtl;
    }

    public void mount(Router router) {
        router.get("/v1/link-requests/:id/stream").handler(this::handle);
    }

    /** Tells a waiting device that its request was approved. */
    public static void approved(Vertx vertx, String linkId) {
        vertx.eventBus().publish(Addresses.linkApproved(linkId), null);
    }

    private void handle(RoutingContext ctx) {
        if (!WebSocketUpgrade.required(ctx)) {
            return;
        }
        String linkId = ctx.pathParam("id");
        String secret = ctx.request().getParam("secret");
        Waiter waiter = new Waiter(linkId, secret);
        // Listen before the first look, so an approval in between is not missed.
        waiter.consumer = vertx.eventBus().consumer(Addresses.linkApproved(linkId), m -> waiter.recheck());
        ctx.request().pause();
        links.collect(linkId, secret).onComplete(ar -> {
            ctx.request().resume();
            if (ar.failed()) {
                waiter.consumer.unregister();
                Replies.fail(ctx, ar.cause());
                return;
            }
            ctx.request().toWebSocket().onSuccess(ws -> waiter.attach(ws, ar.result()))
                    .onFailure(e -> waiter.consumer.unregister());
        });
    }

    private final class Waiter {
        private final String linkId;
        private final String secret;
        private MessageConsumer<Object> consumer;
        private ServerWebSocket ws;
        private long timer = -1;
        private boolean done;

        Waiter(String linkId, String secret) {
            this.linkId = linkId;
            this.secret = secret;
        }

        void attach(ServerWebSocket socket, LinkService.Status first) {
            ws = socket;
            ws.closeHandler(v -> finish());
            if (!first.status().equals("pending")) {
                deliver(first);
                return;
            }
            timer = vertx.setTimer(linkTtl.toMillis(), id -> recheck());
            recheck();
        }

        void recheck() {
            if (ws == null || done) {
                return;
            }
            links.collect(linkId, secret).onSuccess(status -> {
                if (!status.status().equals("pending")) {
                    deliver(status);
                }
            });
        }

        private void deliver(LinkService.Status status) {
            if (done) {
                return;
            }
            JsonObject body = new JsonObject().put("status", status.status());
            if (status.token() != null) {
                body.put("deviceId", status.deviceId()).put("token", status.token()).put("number", status.number())
                        .put("provisioning", status.provisioning());
            }
            ws.writeTextMessage(body.encode()).onComplete(v -> ws.close());
            finish();
        }

        private void finish() {
            done = true;
            consumer.unregister();
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
