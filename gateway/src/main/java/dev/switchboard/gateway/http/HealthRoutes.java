package dev.switchboard.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** Liveness, readiness (the database answers) and the OpenAPI document. */
final class HealthRoutes {
    private final Pool pool;
    private final Buffer openApi;

    HealthRoutes(Pool pool, Buffer openApi) {
        this.pool = pool;
        this.openApi = openApi;
    }

    void mount(Router router) {
        router.get("/health/live").handler(ctx -> Replies.send(ctx, Reply.ok(new JsonObject().put("status", "up"))));
        router.get("/health/ready").handler(ctx -> pool.query("SELECT 1").execute()
                .onSuccess(r -> Replies.send(ctx, Reply.ok(new JsonObject().put("status", "ready"))))
                .onFailure(e -> Replies.error(ctx, 503, "database_unavailable", "the database is not answering")));
        router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openApi));
    }
}
