package dev.switchboard.gateway.http;

import dev.switchboard.inbox.devices.DeviceLists;
import dev.switchboard.inbox.devices.SignedDeviceList;
import dev.switchboard.inbox.model.Device;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/keys/{number}}: what a sender needs to encrypt to a served number and to check
 * that its devices belong to it. Everything here is public key material, signed by the devices;
 * the caller verifies it rather than trusting the server.
 */
final class KeysRoutes {
    private final DeviceLists lists;

    KeysRoutes(DeviceLists lists) { this.lists = lists; }

    void mount(Router router, Authenticator auth) {
        router.get("/v1/keys/:number").handler(auth::requireDevice).handler(Replies.of(this::keys));
    }

    private Future<Reply> keys(RoutingContext ctx) {
        return lists.keys(ctx.pathParam("number")).map(k -> {
            JsonArray devices = new JsonArray();
            for (Device d : k.devices()) {
                DeviceLists.LinkSignatures signatures = k.signaturesOf(d.id());
                devices.add(new JsonObject().put("deviceId", d.id()).put("kind", d.kind().wire()).put("identityKey", d.identityKey())
                        .put("encryptionKey", d.encryptionKey()).put("encryptionKeyId", d.encryptionKeyId())
                        .put("encryptionKeySignature", d.encryptionKeySignature())
                        .put("accountSignature", signatures.accountSignature()).put("deviceSignature", signatures.deviceSignature()));
            }
            return Reply.ok(new JsonObject().put("number", k.number()).put("onnet", true).put("accountKey", k.accountKey())
                    .put("deviceList", k.list().map(KeysRoutes::listJson).orElse(null)).put("devices", devices));
        });
    }

    private static JsonObject listJson(SignedDeviceList list) {
        JsonArray devices = new JsonArray();
        list.devices().forEach(e -> devices.add(new JsonObject().put("deviceId", e.deviceId()).put("identityKey", e.identityKey())
                .put("encryptionKey", e.encryptionKey()).put("kind", e.kind())));
        return new JsonObject().put("version", list.version()).put("issuedAt", list.issuedAt()).put("devices", devices)
                .put("signature", list.signature()).put("stale", list.stale());
    }
}
