package dev.switchboard.gateway.http;

import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.sync.SyncLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/sync}: the events after a cursor, for devices that poll or catch up. */
final class SyncRoutes {
    private final SyncLog syncLog;

    SyncRoutes(SyncLog syncLog) { this.syncLog = syncLog; }

    void mount(Router router, Authenticator auth) {
        router.get("/v1/sync").handler(auth::requireDevice).handler(Replies.of(this::sync));
    }

    private Future<Reply> sync(RoutingContext ctx) {
        Device device = Authenticator.device(ctx);
        long since = Params.longParam(ctx, "since", 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.longParam(ctx, "limit", 100, 1, 1000);
        return syncLog.read(device.number(), since, limit).map(page -> {
            JsonArray events = new JsonArray();
            page.events().forEach(e -> events.add(e.toJson()));
            return Reply.ok(new JsonObject().put("events", events).put("next", page.next()).put("hasMore", page.hasMore()));
        });
    }
}
