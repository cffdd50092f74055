package dev.switchboard.gateway.http;

import dev.switchboard.inbox.devices.DeviceRows;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.json.StrictJson;
import dev.switchboard.inbox.model.Device;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Primary enrollment, the device list, and unlinking. */
final class DeviceRoutes {
    private final DeviceService devices;

    DeviceRoutes(DeviceService devices) { this.devices = devices; }

    void mount(Router router, Authenticator auth) {
        router.post("/v1/devices/primary").handler(Replies.of(this::enroll));
        router.get("/v1/devices").handler(auth::requireDevice).handler(Replies.of(this::list));
        router.delete("/v1/devices/:id").handler(auth::requireDevice).handler(Replies.of(this::unlink));
    }

    private Future<Reply> enroll(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("number", "code", "name", "identityKey", "encryptionKey"));
        return devices.enrollPrimary(body.requiredString("number", 32), body.requiredString("code", 64),
                        body.requiredString("name", 100), body.requiredString("identityKey", 64), body.requiredString("encryptionKey", 64))
                .map(e -> Reply.created(new JsonObject().put("deviceId", e.device().id()).put("token", e.token())
                        .put("number", e.device().number())));
    }

    private Future<Reply> list(RoutingContext ctx) {
        Device caller = Authenticator.device(ctx);
        return devices.list(caller.number()).map(list -> {
            JsonArray out = new JsonArray();
            list.forEach(d -> out.add(DeviceRows.toJson(d).put("current", d.id().equals(caller.id()))));
            return Reply.ok(new JsonObject().put("devices", out));
        });
    }

    private Future<Reply> unlink(RoutingContext ctx) {
        return devices.unlink(Authenticator.device(ctx), ctx.pathParam("id")).map(d -> Reply.noContent());
    }
}
