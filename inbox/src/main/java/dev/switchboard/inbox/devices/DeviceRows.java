package dev.switchboard.inbox.devices;

import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.persistence.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** Maps device rows to records and records to their JSON form (API and sync events). */
public final class DeviceRows {
    static final String COLUMNS = "id, number, kind, name, identity_key, encryption_key, created_at, last_seen_at, synced_seq,"
            + " encryption_key_id, encryption_key_signature";

    private DeviceRows() {}

    static Device map(Row r) {
        return new Device(r.getString("id"), r.getString("number"), Device.Kind.fromWire(r.getString("kind")),
                r.getString("name"), r.getString("identity_key"), r.getString("encryption_key"),
                Times.instant(r.getOffsetDateTime("created_at")), Times.instant(r.getOffsetDateTime("last_seen_at")),
                r.getLong("synced_seq"), r.getString("encryption_key_id"), r.getString("encryption_key_signature"));
    }

    public static JsonObject toJson(Device d) {
        return new JsonObject()
                .put("id", d.id())
                .put("name", d.name())
                .put("kind", d.kind().wire())
                .put("createdAt", d.createdAt().toString())
                .put("lastSeenAt", d.lastSeenAt().toString())
                .put("syncedSeq", d.syncedSeq())
                .put("identityKey", d.identityKey())
                .put("encryptionKey", d.encryptionKey())
                .put("encryptionKeyId", d.encryptionKeyId())
                .put("encryptionKeySignature", d.encryptionKeySignature());
    }
}
