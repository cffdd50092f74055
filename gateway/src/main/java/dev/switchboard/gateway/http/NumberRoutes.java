package dev.switchboard.gateway.http;

import dev.switchboard.inbox.devices.NumberService;
import dev.switchboard.inbox.json.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Admin: serve numbers and hand out enrollment codes for their primary device. */
final class NumberRoutes {
    private final NumberService numbers;

    NumberRoutes(NumberService numbers) { this.numbers = numbers; }

    void mount(Router router, Authenticator auth) {
        router.post("/v1/numbers").handler(auth::requireAdmin).handler(Replies.of(this::serve));
        router.get("/v1/numbers").handler(auth::requireAdmin).handler(Replies.of(this::list));
    }

    private Future<Reply> serve(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("number", "label"));
        return numbers.serve(body.requiredString("number", 32), body.optionalString("label", 200))
                .map(e -> new Reply(e.created() ? 201 : 200, new JsonObject().put("number", e.number()).put("label", e.label())
                        .put("enrollmentCode", e.enrollmentCode()).put("expiresAt", e.expiresAt().toString())));
    }

    private Future<Reply> list(RoutingContext ctx) {
        return numbers.list().map(list -> {
            JsonArray out = new JsonArray();
            list.forEach(n -> out.add(new JsonObject().put("number", n.number()).put("label", n.label())
                    .put("createdAt", n.createdAt().toString()).put("devices", n.devices())));
            return Reply.ok(new JsonObject().put("numbers", out));
        });
    }
}
