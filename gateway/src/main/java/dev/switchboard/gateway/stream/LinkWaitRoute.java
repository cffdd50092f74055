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
 * longer pending ({@code approved} with the sealed provisioning, or {@code expired}), and the
 * socket closes. Nothing is spent here: the token is minted by {@code POST .../complete}.
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
        ctx.request().pause();
        links.peek(linkId, secret).onComplete(ar -> {
            ctx.request().resume();
            if (ar.failed()) {
                Replies.fail(ctx, ar.cause());
                return;
            }
            ctx.request().toWebSocket().onSuccess(ws -> new Waiter(linkId, secret, ws).start());
        });
    }

    /** One waiting socket; all its state lives on the socket's event loop. */
    private final class Waiter {
        private final String linkId;
        private final String secret;
        private final ServerWebSocket ws;
        private MessageConsumer<Object> consumer;
        private long timer = -1;
        private boolean checking;
        private boolean recheckWanted;
        private boolean done;

        Waiter(String linkId, String secret, ServerWebSocket ws) {
            this.linkId = linkId;
            this.secret = secret;
            this.ws = ws;
        }

        void start() {
            ws.closeHandler(v -> finish());
            // Listen before the first look, so an approval in between is not missed.
            consumer = vertx.eventBus().consumer(Addresses.linkApproved(linkId), m -> check());
            timer = vertx.setTimer(linkTtl.toMillis(), id -> check());
            check();
        }

        private void check() {
            if (done) {
                return;
            }
            if (checking) {
                recheckWanted = true;
                return;
            }
            checking = true;
            links.status(linkId, secret).onComplete(ar -> {
                checking = false;
                if (done) {
                    return;
                }
                if (ar.failed()) {
                    finish();
                    ws.close((short) 1011, "link check failed");
                } else if (!ar.result().status().equals("pending")) {
                    deliver(ar.result());
                } else if (recheckWanted) {
                    recheckWanted = false;
                    check();
                }
            });
        }

        private void deliver(LinkService.Status status) {
            JsonObject body = new JsonObject().put("status", status.status());
            if (status.status().equals("approved")) {
                body.put("number", status.number()).put("deviceId", status.deviceId()).put("provisioning", status.provisioning());
            }
            finish();
            ws.writeTextMessage(body.encode()).onComplete(v -> ws.close());
        }

        private void finish() {
            done = true;
            if (consumer != null) {
                consumer.unregister();
            }
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
