package dev.switchboard.gateway.http;

import dev.switchboard.inbox.messages.EncryptedPayloads;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/sync}: the events after a cursor, for devices that poll or catch up; encrypted
 * messages in them carry the calling device's own wrapped key only.
 */
final class SyncRoutes {
    private final SyncLog syncLog;
    private final EncryptedPayloads payloads;

    SyncRoutes(SyncLog syncLog, EncryptedPayloads payloads) {
        this.syncLog = syncLog;
        this.payloads = payloads;
    }

    void mount(Router router, Authenticator auth) {
        router.get("/v1/sync").handler(auth::requireDevice).handler(Replies.of(this::sync));
    }

    private Future<Reply> sync(RoutingContext ctx) {
        Device device = Authenticator.device(ctx);
        long since = Params.longParam(ctx, "since", 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.longParam(ctx, "limit", 100, 1, 1000);
        return syncLog.read(device.number(), since, limit).compose(page ->
                payloads.events(device.id(), page.events().stream().map(e -> e.toJson()).toList())
                        .map(events -> Reply.ok(new JsonObject().put("events", new JsonArray(new java.util.ArrayList<>(events)))
                                .put("next", page.next()).put("hasMore", page.hasMore()))));
    }
}
