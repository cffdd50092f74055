package dev.switchboard.gateway.http;

import dev.switchboard.inbox.devices.DeviceKeySet;
import dev.switchboard.inbox.devices.DeviceLists;
import dev.switchboard.inbox.devices.DeviceRows;
import dev.switchboard.inbox.devices.DeviceService;
import dev.switchboard.inbox.devices.SignedDeviceList;
import dev.switchboard.inbox.json.StrictJson;
import dev.switchboard.inbox.model.Device;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** Primary enrollment, the device list, key rotation, the signed device list, and unlinking. */
final class DeviceRoutes {
    private final DeviceService devices;
    private final DeviceLists lists;

    DeviceRoutes(DeviceService devices, DeviceLists lists) {
        this.devices = devices;
        this.lists = lists;
    }

    void mount(Router router, Authenticator auth) {
        router.post("/v1/devices/primary").handler(Replies.of(this::enroll));
        router.get("/v1/devices").handler(auth::requireDevice).handler(Replies.of(this::list));
        router.put("/v1/devices/self/keys").handler(auth::requireDevice).handler(Replies.of(this::rotate));
        router.put("/v1/devices/list").handler(auth::requireDevice).handler(Replies.of(this::publish));
        router.delete("/v1/devices/:id").handler(auth::requireDevice).handler(Replies.of(this::unlink));
    }

    /** The keys a device presents when it enrolls or asks to be linked. */
    static DeviceKeySet keys(StrictJson body) {
        return new DeviceKeySet(body.requiredString("identityKey", 64), body.requiredString("encryptionKey", 64),
                body.optionalString("encryptionKeyId", 64), body.requiredString("encryptionKeySignature", 128));
    }

    static final Set<String> KEY_FIELDS = Set.of("identityKey", "encryptionKey", "encryptionKeyId", "encryptionKeySignature");

    private Future<Reply> enroll(RoutingContext ctx) {
        Set<String> fields = new java.util.HashSet<>(KEY_FIELDS);
        fields.addAll(Set.of("number", "code", "name"));
        StrictJson body = JsonBody.strict(ctx, fields);
        return devices.enrollPrimary(body.requiredString("number", 32), body.requiredString("code", 64),
                        body.requiredString("name", 100), keys(body))
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

    private Future<Reply> rotate(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, Set.of("encryptionKey", "encryptionKeyId", "encryptionKeySignature"));
        return lists.rotate(Authenticator.device(ctx), body.requiredString("encryptionKey", 64), body.requiredString("encryptionKeyId", 64),
                        body.requiredString("encryptionKeySignature", 128))
                .map(d -> Reply.ok(new JsonObject().put("deviceId", d.id()).put("encryptionKeyId", d.encryptionKeyId())));
    }

    private Future<Reply> publish(RoutingContext ctx) {
        StrictJson body = JsonBody.strict(ctx, LIST_FIELDS);
        return lists.publish(Authenticator.device(ctx), signedList(body))
                .map(v -> Reply.ok(new JsonObject().put("version", v)));
    }

    static final Set<String> LIST_FIELDS = Set.of("version", "issuedAt", "devices", "signature");

    /** A signed device list as clients send it ({@code PUT /v1/devices/list}, link approval, unlink). */
    static SignedDeviceList signedList(StrictJson body) {
        Long version = body.optionalLong("version", 1, Long.MAX_VALUE);
        Long issuedAt = body.optionalLong("issuedAt", 0, Long.MAX_VALUE);
        if (version == null || issuedAt == null) {
            throw new dev.switchboard.inbox.InboxException(dev.switchboard.inbox.InboxException.Kind.INVALID, "missing_field",
                    body.path(version == null ? "version" : "issuedAt") + ": required");
        }
        List<SignedDeviceList.Entry> entries = body.list("devices", 64, (value, path) -> {
            StrictJson e = StrictJson.of(value, path, Set.of("deviceId", "identityKey", "encryptionKey", "kind"));
            return new SignedDeviceList.Entry(e.requiredString("deviceId", 64), e.requiredString("identityKey", 64),
                    e.requiredString("encryptionKey", 64), e.requiredString("kind", 16));
        });
        return new SignedDeviceList(version, issuedAt, entries, body.requiredString("signature", 128), false);
    }

    /** The nested {@code deviceList} object of a body, or null when it has none. */
    static SignedDeviceList nestedList(StrictJson body) {
        Object raw = body.raw("deviceList");
        return raw == null ? null : signedList(StrictJson.of(raw, body.path("deviceList"), LIST_FIELDS));
    }

    /**
     * The primary sends the new signed list (without the device) as {@code {"deviceList": {...}}};
     * a companion leaving on its own sends no body.
     */
    private Future<Reply> unlink(RoutingContext ctx) {
        io.vertx.core.buffer.Buffer raw = ctx.body().buffer();
        SignedDeviceList list = raw == null || raw.length() == 0 ? null : nestedList(JsonBody.strict(ctx, Set.of("deviceList")));
        return devices.unlink(Authenticator.device(ctx), ctx.pathParam("id"), list).map(d -> Reply.noContent());
    }
}
