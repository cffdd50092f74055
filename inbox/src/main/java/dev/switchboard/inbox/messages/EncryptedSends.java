package dev.switchboard.inbox.messages;

import dev.switchboard.crypto.Canonical;
import dev.switchboard.crypto.CryptoException;
import dev.switchboard.crypto.Ed25519;
import dev.switchboard.crypto.MessageHeader;
import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.Direction;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Hashes;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Accepts end-to-end encrypted messages. The server cannot read them, but it checks everything it
 * can so a device never receives a message it cannot open or trust: the header names this sender
 * and recipient, the sending device signed the message, and the content key is wrapped to exactly
 * the devices that should read it (every active device of the recipient and of the sender's own
 * number, the sending device included, so it can re-read what it sent) under their current keys.
 * The ciphertext is stored once; each device later sees only its own wrapped key
 * ({@link EncryptedPayloads}).
 */
final class EncryptedSends {
    private final Ids ids;
    private final ConversationStore conversations;

    EncryptedSends(Ids ids, ConversationStore conversations) {
        this.ids = ids;
        this.conversations = conversations;
    }

    /**
     * The checks that need no database, run before the transaction: the header decodes and names this
     * sender and recipient, no device is targeted twice, and the sending device's identity key signed
     * {@code header || SHA-256(ciphertext) || keyCommitment || target ids}. One verification and one hash
     * of at most 256 KiB: cheap enough for the event loop.
     */
    static void verify(Device sender, String to, EncryptedMessage e) {
        MessageHeader header;
        try {
            header = MessageHeader.decode(e.header());
        } catch (CryptoException ex) {
            throw new InboxException(InboxException.Kind.INVALID, "invalid_header", "e2ee.header: " + ex.getMessage());
        }
        if (!header.fromNumber().equals(sender.number()) || !header.fromDeviceId().equals(sender.id())
                || !header.toNumber().equals(to)) {
            throw new InboxException(InboxException.Kind.INVALID, "invalid_header",
                    "e2ee.header: must name this device's number and id as the sender and 'to' as the recipient");
        }
        Set<String> seen = new HashSet<>();
        for (EncryptedMessage.Key key : e.keys()) {
            if (!seen.add(key.deviceId())) {
                throw InboxException.invalid("e2ee.keys", "device " + key.deviceId() + " has more than one wrapped key");
            }
        }
        byte[] statement;
        try {
            statement = Canonical.messageStatement(e.header(), Hashes.sha256(e.ciphertext()), e.keyCommitment(), e.targetDeviceIds());
        } catch (CryptoException ex) {
            throw InboxException.invalid("e2ee.keys", ex.getMessage());
        }
        if (!Ed25519.verify(Base64.getUrlDecoder().decode(sender.identityKey()), statement, e.signature())) {
            throw new InboxException(InboxException.Kind.INVALID, "invalid_signature",
                    "e2ee.signature: does not verify with the sending device's identity key over the message statement");
        }
    }

    /** In the send transaction, with both numbers locked: the checks against current devices, then storage and delivery. */
    Future<JsonObject> deliver(Tx tx, Device sender, SendRequest request, Set<String> served) {
        String from = sender.number();
        String to = request.to();
        EncryptedMessage e = request.encrypted();
        if (!served.contains(to)) {
            return Future.failedFuture(new InboxException(InboxException.Kind.CONFLICT, "e2ee_unavailable",
                    to + " is not served by this Switchboard: end-to-end messages travel only between served numbers"));
        }
        return E2eeCapability.of(tx, from, to)
                .compose(capable -> {
                    if (!capable.both()) {
                        String which = capable.from() ? to : from;
                        return Future.failedFuture(new InboxException(InboxException.Kind.CONFLICT, "e2ee_unavailable",
                                which + " cannot receive end-to-end messages: it needs a signed device list and a signed"
                                        + " encryption key on every device"));
                    }
                    return tx.query("SELECT id, number, encryption_key_id FROM devices WHERE number = ANY($1) AND unlinked_at IS NULL",
                            Tuple.of(new String[] {from, to}));
                })
                .compose(active -> {
                    checkTargets(active, e.keys());
                    return requireMediaAccess(tx, from, e.mediaIds());
                })
                .compose(v -> store(tx, sender, request));
    }

    /** 409 {@code device_mismatch} when the keys are not for exactly the expected devices; 410 {@code stale_devices} for old keys. */
    private static void checkTargets(Iterable<Row> active, List<EncryptedMessage.Key> keys) {
        Map<String, Row> expected = new HashMap<>();
        active.forEach(r -> expected.put(r.getString("id"), r));
        List<JsonObject> extra = new ArrayList<>();
        List<JsonObject> stale = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (EncryptedMessage.Key key : keys) {
            Row device = expected.get(key.deviceId());
            // A key whose number is not its device's would let a sender mislabel who reads the message.
            if (device == null || !device.getString("number").equals(key.number())) {
                extra.add(target(key.number(), key.deviceId()));
                continue;
            }
            covered.add(key.deviceId());
            if (!device.getString("encryption_key_id").equals(key.encryptionKeyId())) {
                stale.add(target(key.number(), key.deviceId()));
            }
        }
        List<JsonObject> missing = new ArrayList<>();
        expected.forEach((id, r) -> {
            if (!covered.contains(id)) {
                missing.add(target(r.getString("number"), id));
            }
        });
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new InboxException(InboxException.Kind.CONFLICT, "device_mismatch",
                    "the wrapped keys do not match the active devices of both numbers; fetch their keys and seal again",
                    Map.of("missingDevices", sorted(missing), "extraDevices", sorted(extra)));
        }
        if (!stale.isEmpty()) {
            throw new InboxException(InboxException.Kind.GONE, "stale_devices",
                    "some keys were wrapped to an encryption key the device has since replaced; fetch its keys and seal again",
                    Map.of("staleDevices", sorted(stale)));
        }
    }

    private static JsonObject target(String number, String deviceId) {
        return new JsonObject().put("number", number).put("deviceId", deviceId);
    }

    private static List<JsonObject> sorted(List<JsonObject> targets) {
        targets.sort(Comparator.comparing((JsonObject t) -> Objects.toString(t.getString("number")))
                .thenComparing(t -> t.getString("deviceId")));
        return targets;
    }

    /** The sender may only share media it can read itself, as for plaintext messages (422 {@code unknown_media}). */
    private static Future<Void> requireMediaAccess(Tx tx, String number, List<String> mediaIds) {
        if (mediaIds.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.query("SELECT media_id FROM media_access WHERE number = $2 AND media_id = ANY($1)",
                        Tuple.of(mediaIds.toArray(new String[0]), number))
                .compose(rows -> {
                    Set<String> found = new HashSet<>();
                    rows.forEach(r -> found.add(r.getString(0)));
                    for (String id : mediaIds) {
                        if (!found.contains(id)) {
                            return Future.failedFuture(new InboxException(InboxException.Kind.UNPROCESSABLE, "unknown_media",
                                    "media " + id + " not found"));
                        }
                    }
                    return Future.<Void>succeededFuture();
                });
    }

    private Future<JsonObject> store(Tx tx, Device sender, SendRequest request) {
        EncryptedMessage e = request.encrypted();
        String from = sender.number();
        String to = request.to();
        String payloadId = ids.next("e2p");
        String outId = ids.next("msg");
        String inId = ids.next("msg");
        List<String> targets = e.targetDeviceIds().stream().sorted().toList();
        List<Tuple> keyRows = new ArrayList<>();
        for (EncryptedMessage.Key key : e.keys()) {
            keyRows.add(Tuple.of(payloadId, key.number(), key.deviceId(), key.encryptionKeyId(), Buffer.buffer(key.wrappedKey())));
        }
        return tx.query("""
                        INSERT INTO e2ee_payloads (id, from_number, from_device_id, to_number, header, ciphertext, key_commitment,
                            signature, target_ids, media_ids, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
                        Tuple.wrap(new Object[] {payloadId, from, sender.id(), to, Buffer.buffer(e.header()), Buffer.buffer(e.ciphertext()),
                                Buffer.buffer(e.keyCommitment()), Buffer.buffer(e.signature()), targets.toArray(new String[0]),
                                e.mediaIds().toArray(new String[0]), Times.db(tx.now())}))
                .compose(v -> tx.conn().preparedQuery("""
                        INSERT INTO e2ee_keys (payload_id, number, device_id, encryption_key_id, wrapped_key)
                        VALUES ($1, $2, $3, $4, $5)""").executeBatch(keyRows))
                .compose(v -> conversations.upsert(tx, from, to, Channel.ONNET))
                .compose(conversationId -> {
                    Message out = Message.encrypted(outId, conversationId, from, Direction.OUT, from, to, payloadId, tx.now());
                    return tx.query(MessageRows.INSERT, MessageRows.insertArgs(out, inId))
                            .compose(v -> tx.emit(from, SyncEvent.MESSAGE_CREATED, MessageJson.toJson(out)))
                            .compose(event -> deliverCopy(tx, out, inId, e.mediaIds())
                                    .map(v -> new JsonObject().put("id", outId).put("conversationId", conversationId)
                                            .put("status", MessageStatus.DELIVERED.wire()).put("channel", Channel.ONNET.wire())
                                            .put("seq", event.seq())));
                });
    }

    private Future<Void> deliverCopy(Tx tx, Message out, String inId, List<String> mediaIds) {
        return conversations.upsert(tx, out.to(), out.from(), Channel.ONNET).compose(conversationId -> {
            Message in = Message.encrypted(inId, conversationId, out.to(), Direction.IN, out.from(), out.to(), out.payloadId(), tx.now());
            return tx.query(MessageRows.INSERT, MessageRows.insertArgs(in, out.id()))
                    .compose(v -> mediaIds.isEmpty() ? Future.succeededFuture()
                            : tx.query("INSERT INTO media_access (media_id, number) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING",
                                    Tuple.of(mediaIds.toArray(new String[0]), out.to())))
                    .compose(v -> tx.emit(out.to(), SyncEvent.MESSAGE_CREATED, MessageJson.toJson(in)))
                    .mapEmpty();
        });
    }
}
