package dev.switchboard.gateway.stream;

import dev.switchboard.gateway.http.Authenticator;
import dev.switchboard.gateway.http.Replies;
import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.messages.EncryptedPayloads;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/stream}: authenticates before the upgrade, then hands the socket to a {@link DeviceStream}. */
public final class StreamRoute {
    /** Browsers cannot set headers on a WebSocket; they offer this protocol plus {@code bearer.<token>}. */
    public static final String SUBPROTOCOL = "switchboard.v1";

    private final Vertx vertx;
    private final Authenticator auth;
    private final SyncLog syncLog;
    private final DeviceService devices;
    private final EncryptedPayloads payloads;

    public StreamRoute(Vertx vertx, Authenticator auth, SyncLog syncLog, DeviceService devices, EncryptedPayloads payloads) {
        this.payloads = payloads;
        this.vertx = vertx;
        this.auth = auth;
        this.syncLog = syncLog;
        this.devices = devices;
    }

    public void mount(Router router) {
        router.get("/v1/stream").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (!WebSocketUpgrade.required(ctx)) {
            return;
        }
        long since;
        try {
            String raw = ctx.request().getParam("since");
            since = raw == null || raw.isEmpty() ? 0 : Long.parseLong(raw);
            if (since < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            Replies.fail(ctx, InboxException.invalid("since", "must be a non-negative integer"));
            return;
        }
        ctx.request().pause();
        auth.webSocketDevice(ctx.request())
                .compose(device -> syncLog.lastSeq(device.number()).compose(last -> since > last
                        // A cursor from the future would make the stream skip what comes next.
                        ? Future.failedFuture(InboxException.invalid("since", "is beyond the last event (" + last + ")"))
                        : Future.succeededFuture(device)))
                .onFailure(e -> {
                    ctx.request().resume();
                    Replies.fail(ctx, e);
                })
                .onSuccess(device -> {
                    ctx.request().resume();
                    ctx.request().toWebSocket().onSuccess(ws -> new DeviceStream(vertx, ws, device, syncLog, devices, payloads, since).start())
                            .onFailure(e -> Replies.fail(ctx, e));
                });
    }
}
