package dev.switchboard.inbox.messages;

import dev.switchboard.inbox.InboxException;
import dev.switchboard.inbox.json.MessageJson;
import dev.switchboard.inbox.model.Channel;
import dev.switchboard.inbox.model.Device;
import dev.switchboard.inbox.model.Direction;
import dev.switchboard.inbox.model.Message;
import dev.switchboard.inbox.model.MessageContent;
import dev.switchboard.inbox.model.MessageStatus;
import dev.switchboard.inbox.model.Part;
import dev.switchboard.inbox.model.PhoneNumber;
import dev.switchboard.inbox.model.SyncEvent;
import dev.switchboard.inbox.persistence.Hashes;
import dev.switchboard.inbox.persistence.Ids;
import dev.switchboard.inbox.persistence.Times;
import dev.switchboard.inbox.persistence.Transactor;
import dev.switchboard.inbox.persistence.Tx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends messages from devices and marks them read. A message between two served numbers is
 * committed into both inboxes in one transaction; one to any other number waits in the outbox
 * for a carrier adapter.
 */
public final class MessageService {
    private final Transactor db;
    private final Ids ids;
    private final ConversationStore conversations;
    private final ChannelPolicy channels;
    private final EncryptedSends encrypted;

    public MessageService(Transactor db, Ids ids) {
        this(db, ids, ChannelPolicy.SMS_ONLY);
    }

    public MessageService(Transactor db, Ids ids, ChannelPolicy channels) {
        this.db = db;
        this.ids = ids;
        this.conversations = new ConversationStore(ids);
        this.channels = channels;
        this.encrypted = new EncryptedSends(ids, conversations);
    }

    public Future<SendResult> send(Device sender, SendRequest request) {
        PhoneNumber.require("to", request.to());
        if (request.to().equals(sender.number())) {
            return Future.failedFuture(InboxException.invalid("to", "cannot be the sender's own number"));
        }
        if (request.isEncrypted()) {
            try {
                EncryptedSends.verify(sender, request.to(), request.encrypted());
            } catch (InboxException e) {
                return Future.failedFuture(e);
            }
        } else if (request.content().parts().isEmpty()) {
            return Future.failedFuture(new InboxException(InboxException.Kind.INVALID, "missing_field", "text or parts: required"));
        }
        // Numbers first, like every other writer: the key's row references the device, and taking that
        // reference before the number lock can deadlock against an unlink of the same device.
        return db.inTransaction(tx -> tx.lockNumbers(Set.of(sender.number(), request.to()))
                .compose(served -> claimIdempotencyKey(tx, sender, request)
                        .compose(previous -> previous != null
                                ? Future.succeededFuture(new SendResult(previous, true))
                                : (request.isEncrypted() ? encrypted.deliver(tx, sender, request, served)
                                        : deliver(tx, sender, request, served.contains(request.to())))
                                        .compose(accepted -> remember(tx, sender, request, accepted))
                                        .map(accepted -> new SendResult(accepted, false)))));
    }

    /** The answer a retry with the same Idempotency-Key gets, stored in the same transaction as the message. */
    private static Future<JsonObject> remember(Tx tx, Device sender, SendRequest request, JsonObject accepted) {
        return tx.query("UPDATE idempotency_keys SET response = $3 WHERE device_id = $1 AND key = $2",
                Tuple.of(sender.id(), request.idempotencyKey(), accepted)).map(accepted);
    }

    /**
     * Plaintext between two numbers that both take end-to-end messages is refused (409
     * {@code e2ee_required}): once a conversation is end-to-end, a device must not fall back to
     * something the server can read. Numbers without published device lists keep sending plaintext.
     */
    private static Future<Void> refusePlaintextWhenEncrypted(Tx tx, String from, String to) {
        return E2eeCapability.of(tx, from, to).compose(capable -> capable.both()
                ? Future.failedFuture(new InboxException(InboxException.Kind.CONFLICT, "e2ee_required",
                        "both " + from + " and " + to + " take end-to-end encrypted messages; send this one encrypted (e2ee)"))
                : Future.<Void>succeededFuture());
    }

    /** Null when the key is new (now held by this transaction), else the stored answer for the same body. */
    private Future<JsonObject> claimIdempotencyKey(Tx tx, Device sender, SendRequest request) {
        return tx.query("""
                INSERT INTO idempotency_keys (device_id, key, request_hash, response, created_at)
                VALUES ($1, $2, $3, '{}'::jsonb, $4) ON CONFLICT DO NOTHING RETURNING key""",
                Tuple.of(sender.id(), request.idempotencyKey(), Buffer.buffer(request.requestHash()), Times.db(tx.now())))
                .compose(inserted -> {
                    if (inserted.size() == 1) {
                        return Future.succeededFuture(null);
                    }
                    return tx.query("SELECT request_hash, response FROM idempotency_keys WHERE device_id = $1 AND key = $2",
                                    Tuple.of(sender.id(), request.idempotencyKey()))
                            .map(rows -> {
                                Row r = rows.iterator().next();
                                if (!Hashes.constantTimeEquals(r.getBuffer("request_hash").getBytes(), request.requestHash())) {
                                    throw new InboxException(InboxException.Kind.UNPROCESSABLE, "idempotency_key_reused",
                                            "this Idempotency-Key was used with a different request");
                                }
                                return (JsonObject) r.getValue("response");
                            });
                });
    }

    private Future<JsonObject> deliver(Tx tx, Device sender, SendRequest request, boolean onnet) {
        String from = sender.number();
        String to = request.to();
        return (onnet ? refusePlaintextWhenEncrypted(tx, from, to) : Future.<Void>succeededFuture())
                .compose(v -> resolveMedia(tx, from, request.content()))
                .compose(content -> (onnet ? Future.succeededFuture(new ChannelPolicy.Decision(Channel.ONNET, false, null))
                        : refuseUnsubscribed(tx, from, to).compose(v -> channels.choose(tx, from, to, request.channel(), content)))
                        .compose(decision -> {
                    Channel channel = decision.channel();
                    MessageStatus status = onnet ? MessageStatus.DELIVERED : MessageStatus.QUEUED;
                    String outId = ids.next("msg");
                    String inId = onnet ? ids.next("msg") : null;
                    return conversations.upsert(tx, from, to, channel).compose(conversationId -> {
                        Message out = Message.created(outId, conversationId, from, Direction.OUT, from, to, channel, status,
                                content, tx.now(), null);
                        return tx.query(MessageRows.INSERT, MessageRows.insertArgs(out, inId))
                                .compose(v -> tx.emit(from, SyncEvent.MESSAGE_CREATED, MessageJson.toJson(out)))
                                .compose(event -> (onnet ? deliverOnNet(tx, out, inId) : queue(tx, out, decision))
                                        .map(v -> new JsonObject().put("id", outId).put("conversationId", conversationId)
                                                .put("status", status.wire()).put("channel", channel.wire()).put("seq", event.seq())));
                    });
                }));
    }

    /** A peer that unsubscribed from this number (RCS UNSUBSCRIBE) gets nothing until it subscribes again. */
    private static Future<Void> refuseUnsubscribed(Tx tx, String from, String to) {
        return tx.query("SELECT 1 FROM conversations WHERE number = $1 AND peer = $2 AND unsubscribed_at IS NOT NULL",
                Tuple.of(from, to)).compose(rows -> rows.size() == 0 ? Future.<Void>succeededFuture()
                : Future.failedFuture(new InboxException(InboxException.Kind.CONFLICT, "peer_unsubscribed",
                        to + " unsubscribed from " + from + "; it must subscribe again before it can be messaged")));
    }

    private static Future<Void> queue(Tx tx, Message out, ChannelPolicy.Decision decision) {
        return tx.query("""
                INSERT INTO outbox (message_id, number, peer, created_at, channel, forced, deadline_at) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
                Tuple.of(out.id(), out.from(), out.to(), Times.db(tx.now()), decision.channel().wire(), decision.forced(),
                        decision.deadlineAt() == null ? null : Times.db(decision.deadlineAt()))).mapEmpty();
    }

    private Future<Void> deliverOnNet(Tx tx, Message out, String inId) {
        return conversations.upsert(tx, out.to(), out.from(), Channel.ONNET).compose(conversationId -> {
            Message in = Message.created(inId, conversationId, out.to(), Direction.IN, out.from(), out.to(), Channel.ONNET,
                    MessageStatus.DELIVERED, out.content(), tx.now(), null);
            return tx.query(MessageRows.INSERT, MessageRows.insertArgs(in, out.id()))
                    .compose(v -> grantMedia(tx, out.to(), out.content()))
                    .compose(v -> tx.emit(out.to(), SyncEvent.MESSAGE_CREATED, MessageJson.toJson(in)))
                    .mapEmpty();
        });
    }

    /** Media parts carry what the server stored, not what the client claimed; unknown media is refused. */
    private static Future<MessageContent> resolveMedia(Tx tx, String number, MessageContent content) {
        List<String> mediaIds = content.mediaIds();
        if (mediaIds.isEmpty()) {
            return Future.succeededFuture(content);
        }
        return tx.query("""
                SELECT m.id, m.content_type, m.size, m.file_name FROM media m
                JOIN media_access a ON a.media_id = m.id AND a.number = $2 WHERE m.id = ANY($1)""",
                Tuple.of(mediaIds.toArray(new String[0]), number))
                .map(rows -> {
                    Map<String, Row> found = new HashMap<>();
                    rows.forEach(r -> found.put(r.getString("id"), r));
                    for (String id : mediaIds) {
                        if (!found.containsKey(id)) {
                            throw new InboxException(InboxException.Kind.UNPROCESSABLE, "unknown_media", "media " + id + " not found");
                        }
                    }
                    List<Part> parts = new ArrayList<>();
                    for (Part p : content.parts()) {
                        if (p instanceof Part.Media m) {
                            Row r = found.get(m.mediaId());
                            String fileName = m.fileName() != null ? m.fileName() : r.getString("file_name");
                            parts.add(new Part.Media(m.mediaId(), r.getString("content_type"), r.getLong("size"), fileName));
                        } else {
                            parts.add(p);
                        }
                    }
                    return new MessageContent(parts, content.suggestions(), content.inReplyTo());
                });
    }

    private static Future<Void> grantMedia(Tx tx, String number, MessageContent content) {
        List<String> mediaIds = content.mediaIds();
        if (mediaIds.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.query("INSERT INTO media_access (media_id, number) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING",
                Tuple.of(mediaIds.toArray(new String[0]), number)).mapEmpty();
    }

    /**
     * Moves a message's delivery status forward, as carrier receipts report it. A move the state
     * machine does not allow (a late {@code delivered} after {@code read}, anything after
     * {@code failed}) changes nothing and emits nothing; the answer is empty then.
     */
    public Future<java.util.Optional<Message>> updateStatus(String messageId, MessageStatus next, String reason) {
        return db.inTransaction(tx -> StatusChanges.advance(tx, messageId, next, reason));
    }

    /**
     * Marks the conversation's incoming messages up to {@code upTo} read. On-net, the sender's copies
     * turn {@code read} too, so read ticks cross to the other number's devices.
     */
    public Future<Void> markRead(Device device, String conversationId, String upTo) {
        return db.inTransaction(tx -> tx.query("SELECT peer FROM conversations WHERE id = $1 AND number = $2",
                        Tuple.of(conversationId, device.number()))
                .compose(rows -> {
                    if (rows.size() != 1) {
                        return Future.failedFuture(InboxException.notFound("conversation"));
                    }
                    String peer = rows.iterator().next().getString(0);
                    return tx.lockNumbers(Set.of(device.number(), peer))
                            .compose(v -> tx.query("SELECT pos FROM messages WHERE id = $1 AND conversation_id = $2",
                                    Tuple.of(upTo, conversationId)))
                            .compose(pos -> {
                                if (pos.size() != 1) {
                                    return Future.failedFuture(InboxException.invalid("upTo", "no such message in this conversation"));
                                }
                                return tx.query("""
                                        UPDATE messages SET status = 'read', updated_at = $3, status_history = status_history || $4::jsonb
                                        WHERE conversation_id = $1 AND direction = 'in' AND status <> 'read' AND pos <= $2
                                        RETURNING id, counterpart_id""",
                                        Tuple.of(conversationId, pos.iterator().next().getLong(0), Times.db(tx.now()),
                                                MessageRows.historyStep(MessageStatus.READ, tx.now(), null)));
                            })
                            .compose(updated -> {
                                if (updated.rowCount() == 0) {
                                    return Future.<Void>succeededFuture();
                                }
                                List<String> read = new ArrayList<>();
                                List<String> counterparts = new ArrayList<>();
                                updated.forEach(r -> {
                                    read.add(r.getString("id"));
                                    if (r.getString("counterpart_id") != null) {
                                        counterparts.add(r.getString("counterpart_id"));
                                    }
                                });
                                return tx.emit(device.number(), SyncEvent.CONVERSATION_READ,
                                                new JsonObject().put("conversationId", conversationId).put("upTo", upTo))
                                        .compose(v -> markCounterpartsRead(tx, counterparts))
                                        // SMPP accounts that asked for a user acknowledgement get it once the device read.
                                        .compose(v -> AccountReceiptStore.readInTx(tx, read))
                                        // RCS peers get a READ event from the provider.
                                        .compose(v -> RcsReadReceipts.readInTx(tx, read));
                            });
                }));
    }

    private Future<Void> markCounterpartsRead(Tx tx, List<String> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture();
        }
        return tx.query("UPDATE messages SET status = 'read', updated_at = $2, " + MessageRows.appendHistory(3)
                                + " WHERE id = ANY($1) AND status IN ('queued', 'sent', 'delivered') RETURNING " + MessageRows.COLUMNS,
                        Tuple.of(ids.toArray(new String[0]), Times.db(tx.now()), MessageRows.historyStep(MessageStatus.READ, tx.now(), null)))
                .compose(rows -> {
                    List<Message> messages = new ArrayList<>();
                    rows.forEach(r -> messages.add(MessageRows.map(r)));
                    messages.sort(java.util.Comparator.comparing(Message::createdAt).thenComparing(Message::id));
                    Future<Void> chain = Future.succeededFuture();
                    for (Message m : messages) {
                        chain = chain.compose(v -> tx.emit(m.number(), SyncEvent.MESSAGE_UPDATED, MessageJson.toJson(m)).mapEmpty());
                    }
                    return chain;
                });
    }
}
