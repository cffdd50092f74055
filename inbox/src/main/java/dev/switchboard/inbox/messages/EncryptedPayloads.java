package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.SyncEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the stored form of end-to-end encrypted messages into what one device reads. Messages and
 * their sync events store only a reference to the payload ({@link MessageJson#PAYLOAD_REFERENCE}),
 * because each device must see only its own wrapped key; at read time the reference is replaced by
 * <pre>
 *   "encrypted": {"header", "ciphertext", "keyCommitment", "signature", "senderDeviceId",
 *                 "targets": [sorted device ids], "key": {"encryptionKeyId", "wrappedKey"} | null}
 * </pre>
 * with {@code key} null for a device that was not a target (e.g. linked after the message). One
 * query per page, whatever its size; pages without e2ee messages cost none. Inputs are not changed:
 * the caller gets copies.
 */
public final class EncryptedPayloads {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Pool pool;

    public EncryptedPayloads(Pool pool) { this.pool = pool; }

    /** Message JSONs (as {@link MessageJson#toJson} writes them), each e2ee one with {@code encrypted} for {@code deviceId}. */
    public Future<List<JsonObject>> messages(String deviceId, List<JsonObject> messages) {
        Set<String> ids = new LinkedHashSet<>();
        messages.forEach(m -> addReference(m, ids));
        if (ids.isEmpty()) {
            return Future.succeededFuture(messages);
        }
        return load(deviceId, ids).map(views -> messages.stream().map(m -> hydrated(m, views)).toList());
    }

    public Future<JsonObject> message(String deviceId, JsonObject message) {
        return messages(deviceId, List.of(message)).map(list -> list.get(0));
    }

    /** Sync events in their wire form ({@link SyncEvent#toJson}); those carrying a message are hydrated for {@code deviceId}. */
    public Future<List<JsonObject>> events(String deviceId, List<JsonObject> events) {
        Set<String> ids = new LinkedHashSet<>();
        events.forEach(e -> {
            if (carriesMessage(e)) {
                addReference(e.getJsonObject("data"), ids);
            }
        });
        if (ids.isEmpty()) {
            return Future.succeededFuture(events);
        }
        return load(deviceId, ids).map(views -> events.stream().map(e -> !carriesMessage(e) ? e
                : e.copy().put("data", hydrated(e.getJsonObject("data"), views))).toList());
    }

    /** Whether any of these wire-form events refers to an encrypted payload, i.e. needs {@link #events} before it is sent. */
    public static boolean needHydration(JsonArray events) {
        for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.getJsonObject(i);
            if (carriesMessage(e) && e.getJsonObject("data").getValue(MessageJson.PAYLOAD_REFERENCE) != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean carriesMessage(JsonObject event) {
        String type = event.getString("type");
        return (SyncEvent.MESSAGE_CREATED.equals(type) || SyncEvent.MESSAGE_UPDATED.equals(type))
                && event.getValue("data") instanceof JsonObject;
    }

    private static void addReference(JsonObject message, Set<String> ids) {
        if (message != null && message.getValue(MessageJson.PAYLOAD_REFERENCE) instanceof String id) {
            ids.add(id);
        }
    }

    private static JsonObject hydrated(JsonObject message, Map<String, JsonObject> views) {
        if (message == null || !(message.getValue(MessageJson.PAYLOAD_REFERENCE) instanceof String id)) {
            return message;
        }
        JsonObject copy = message.copy();
        copy.remove(MessageJson.PAYLOAD_REFERENCE);
        JsonObject view = views.get(id);
        return copy.put("encrypted", view == null ? null : view.copy());
    }

    private Future<Map<String, JsonObject>> load(String deviceId, Set<String> payloadIds) {
        return pool.preparedQuery("""
                        SELECT p.id, p.header, p.ciphertext, p.key_commitment, p.signature, p.from_device_id, p.target_ids,
                            k.encryption_key_id, k.wrapped_key
                        FROM e2ee_payloads p LEFT JOIN e2ee_keys k ON k.payload_id = p.id AND k.device_id = $2
                        WHERE p.id = ANY($1)""")
                .execute(Tuple.of(payloadIds.toArray(new String[0]), deviceId))
                .map(rows -> {
                    Map<String, JsonObject> views = new HashMap<>();
                    for (Row r : rows) {
                        views.put(r.getString("id"), view(r));
                    }
                    return views;
                });
    }

    private static JsonObject view(Row r) {
        JsonArray targets = new JsonArray(new ArrayList<>(List.of(r.getArrayOfStrings("target_ids"))));
        JsonObject key = r.getValue("wrapped_key") == null ? null : new JsonObject()
                .put("encryptionKeyId", r.getString("encryption_key_id"))
                .put("wrappedKey", b64(r, "wrapped_key"));
        return new JsonObject()
                .put("header", b64(r, "header"))
                .put("ciphertext", b64(r, "ciphertext"))
                .put("keyCommitment", b64(r, "key_commitment"))
                .put("signature", b64(r, "signature"))
                .put("senderDeviceId", r.getString("from_device_id"))
                .put("targets", targets)
                .put("key", key);
    }

    private static String b64(Row r, String column) {
        return B64.encodeToString(r.getBuffer(column).getBytes());
    }
}
