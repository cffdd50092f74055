package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Statements;
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
 *
 * <p>Every page that gets hydrated is also bounded by the ciphertext it will carry: each hydrated
 * message repeats its payload's ciphertext (up to {@link EncryptedMessage#MAX_CIPHERTEXT}), so a page
 * of hundreds would be hundreds of MiB of JSON built, encoded and sent by one event-loop task. The
 * queries that choose a page measure each row's ciphertext with {@link #ciphertextBytesOf} /
 * {@link #CIPHERTEXT_BYTES} (its stored length only, no ciphertext is read) and end the page before
 * the running sum passes {@link #MAX_PAGE_CIPHERTEXT}, always keeping at least one row so a reader
 * makes progress; the page then says there is more. {@code SyncLog.read} and
 * {@code ConversationQueries.messages} take the running sum in SQL (a window function), so rows
 * past the budget never leave the database; {@code ConversationQueries.conversations} cuts its
 * previews with {@link #withinBudget}. So hydration loads, encodes and sends at most that budget per
 * page (or one message, when a single one is larger), and the work per event-loop task stays bounded.
 */
public final class EncryptedPayloads {
    /** The most ciphertext one page (REST page, stream catch-up batch) carries when it has more than one message: 4 MiB. */
    public static final int MAX_PAGE_CIPHERTEXT = 4 * 1024 * 1024;

    /**
     * SQL: the ciphertext bytes that hydrating the message JSON {@code json} (a jsonb expression, e.g.
     * a sync event's {@code data}) adds, 0 for a message that is not e2ee. Reads only the stored
     * value's length (no detoasting); the payload is found by its primary key.
     */
    public static String ciphertextBytesOf(String json) {
        return "COALESCE((SELECT octet_length(cp.ciphertext) FROM e2ee_payloads cp WHERE cp.id = (" + json + ")->>'"
                + MessageJson.PAYLOAD_REFERENCE + "'), 0)";
    }

    /** SQL: the same for a {@code messages} row, by its {@code payload_id} column. */
    public static final String CIPHERTEXT_BYTES =
            "COALESCE((SELECT octet_length(cp.ciphertext) FROM e2ee_payloads cp WHERE cp.id = messages.payload_id), 0)";

    /**
     * How many of a page's rows to keep, given each row's ciphertext bytes in order: the longest
     * prefix whose sum stays within {@link #MAX_PAGE_CIPHERTEXT}, and at least one row.
     */
    public static int withinBudget(long[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i++) {
            sum += bytes[i];
            if (sum > MAX_PAGE_CIPHERTEXT && i > 0) {
                return i;
            }
        }
        return bytes.length;
    }
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
    public static boolean needHydration(List<JsonObject> events) {
        return references(events) > 0;
    }

    /**
     * Whether hydrating these wire-form events surely stays within {@link #MAX_PAGE_CIPHERTEXT}
     * without measuring them: at most as many references as maximal ciphertexts fit in the budget.
     */
    public static boolean surelyWithinBudget(List<JsonObject> events) {
        return (long) references(events) * EncryptedMessage.MAX_CIPHERTEXT <= MAX_PAGE_CIPHERTEXT;
    }

    private static int references(List<JsonObject> events) {
        int n = 0;
        for (JsonObject e : events) {
            if (carriesMessage(e) && e.getJsonObject("data").getValue(MessageJson.PAYLOAD_REFERENCE) != null) {
                n++;
            }
        }
        return n;
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
        return pool.preparedQuery(LOAD)
                .execute(Tuple.of(payloadIds.toArray(new String[0]), deviceId))
                .map(rows -> {
                    Map<String, JsonObject> views = new HashMap<>();
                    for (Row r : rows) {
                        views.put(r.getString("id"), view(r));
                    }
                    return views;
                });
    }

    /*
     * The payloads and this device's wrapped key of each, by primary key. Planned on every execution
     * (Statements.PLAN_PER_EXECUTION): it runs once per device for every message streamed, and the generic
     * plan PostgreSQL settled on while the tables were nearly empty (an array of unknown length, so "about
     * ten ids") read every payload and every wrapped key of the device sequentially, a cost that grew
     * with the whole history instead of the page. Planned for the actual ids, it is two primary-key probes.
     */
    private static final String LOAD = Statements.PLAN_PER_EXECUTION + """
                        SELECT p.id, p.header, p.ciphertext, p.key_commitment, p.signature, p.from_device_id, p.target_ids,
                            k.encryption_key_id, k.wrapped_key
                        FROM e2ee_payloads p LEFT JOIN e2ee_keys k ON k.payload_id = p.id AND k.device_id = $2
                        WHERE p.id = ANY($1)""";

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
